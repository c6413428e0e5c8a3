import { bakedCredentialImage, imageContentType } from '#features/credentials/baked-image';
import { isClrShare, openClrShare, openShare } from '#features/sharing/open-link';
import { pathId, wantsJson } from '../inputs';
import { clrPage } from '../pages/clr-page';
import { htmlHeaders } from '../pages/html';
import { sharedCredentialPage } from '../pages/shared-credential-page';
import type { OperationResult, Operations } from '../types';

interface CredentialShape {
  validFrom: string;
  validUntil?: string;
  issuer: { name: string };
  credentialSubject: {
    identifier?: Array<{ identityType: string; hashed: boolean; identityHash: string }>;
    achievement: { id: string; name: string; description?: string };
  };
}

/** Shared pages must never be cached by intermediaries: a withdrawal or revocation shows at once. */
const noStore = { 'cache-control': 'no-store' };

export const sharedCredentialOperations: Operations = {
  getSharedCredential: async (context): Promise<OperationResult> => {
    const token = pathId(context, 'token');
    if (await isClrShare(context.deps, token)) {
      const clr = await openClrShare(context.deps, token);
      if (context.query['format'] === 'json' || wantsJson(context)) {
        return {
          statusCode: 200,
          body: clr,
          headers: {
            ...noStore,
            'content-type': 'application/vc+ld+json',
            ...(context.query['format'] === 'json' ? { 'content-disposition': 'attachment; filename="clr.json"' } : {}),
          },
        };
      }
      return { statusCode: 200, body: clrPage(clr, `/shared/${token}?format=json`), headers: { ...noStore, ...htmlHeaders } };
    }
    const shared = await openShare(context.deps, token);
    const format = context.query['format'] ?? (/^image\/png/i.test(context.event.headers['accept'] ?? '') ? 'png' : undefined);
    if (format === 'png' || format === 'svg') {
      return {
        statusCode: 200,
        body: await bakedCredentialImage(context.deps, shared.record, format),
        headers: { ...noStore, 'content-type': imageContentType[format] },
      };
    }
    if (format === 'json' || (format === undefined && wantsJson(context))) {
      return {
        statusCode: 200,
        body: shared.credential,
        headers: {
          ...noStore,
          'content-type': 'application/vc+ld+json',
          ...(format === 'json' ? { 'content-disposition': 'attachment; filename="credential.json"' } : {}),
        },
      };
    }
    const credential = shared.credential as unknown as CredentialShape;
    const name = credential.credentialSubject.identifier?.find(
      (identity) => identity.identityType === 'name' && !identity.hashed,
    )?.identityHash;
    const base = `/shared/${token}`;
    return {
      statusCode: 200,
      body: sharedCredentialPage({
        ...(name ? { learnerName: name } : {}),
        achievementName: credential.credentialSubject.achievement.name,
        ...(credential.credentialSubject.achievement.description
          ? { achievementDescription: credential.credentialSubject.achievement.description }
          : {}),
        criteriaUrl: credential.credentialSubject.achievement.id,
        issuerName: credential.issuer.name,
        validFrom: credential.validFrom,
        ...(credential.validUntil ? { validUntil: credential.validUntil } : {}),
        status: shared.status,
        imageUrl: `${base}?format=svg`,
        downloadUrl: `${base}?format=json`,
      }),
      headers: { ...noStore, ...htmlHeaders },
    };
  },
};
