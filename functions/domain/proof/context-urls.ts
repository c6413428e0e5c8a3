/** URLs of the JSON-LD contexts Merit bundles (see document-loader.ts). */
export const contextUrls = {
  credentialsV1: 'https://www.w3.org/2018/credentials/v1',
  credentialsV2: 'https://www.w3.org/ns/credentials/v2',
  openBadges: 'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
  openBadges301: 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
  openBadges302: 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
  openBadges303: 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  openBadgesExtensions: 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
  clr201: 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
  dataIntegrityV1: 'https://w3id.org/security/data-integrity/v1',
  dataIntegrityV2: 'https://w3id.org/security/data-integrity/v2',
  multikeyV1: 'https://w3id.org/security/multikey/v1',
  ed25519Signature2020: 'https://w3id.org/security/suites/ed25519-2020/v1',
  bitstringStatusList: 'https://www.w3.org/ns/credentials/status/v1',
  didV1: 'https://www.w3.org/ns/did/v1',
  securityV1: 'https://w3id.org/security/v1',
  securityV2: 'https://w3id.org/security/v2',
} as const;
