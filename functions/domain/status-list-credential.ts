import { credentialsV2Context } from './profiles';
import { encodeBitstring } from './status-list';

/** The unsigned BitstringStatusListCredential for a list's current bits (W3C Bitstring Status List v1.0). */
export const statusListCredential = (options: { url: string; issuerDid: string; bits: Uint8Array; validFrom: string }) => ({
  '@context': [credentialsV2Context],
  id: options.url,
  type: ['VerifiableCredential', 'BitstringStatusListCredential'],
  issuer: options.issuerDid,
  validFrom: options.validFrom,
  credentialSubject: {
    id: `${options.url}#list`,
    type: 'BitstringStatusList',
    statusPurpose: 'revocation',
    encodedList: encodeBitstring(options.bits),
  },
});

export const statusListUrl = (baseUrl: string, listId: string): string => `${baseUrl}/status/${listId}`;
