/**
 * Stands in for @digitalbazaar/http-client in the Lambda bundles (lib/functions.ts functionBundleAliases). jsonld.js
 * installs its Node document loader, and with it this client and undici, at import time; Merit hands its own loader
 * to every JSON-LD operation (functions/domain/proof/document-loader.ts), so the client is never called. If it ever
 * is, it fails loudly instead of fetching a document from the network.
 */
export const httpClient = (): never => {
  throw new Error('jsonld.js tried to fetch a document over HTTP: pass the documentLoader of functions/domain/proof/document-loader.ts');
};
