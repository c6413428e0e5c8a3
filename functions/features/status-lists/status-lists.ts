import type { Dependencies } from '#config/dependencies';
import { conflict, notFound } from '#domain/errors';
import { issuerDid } from '#domain/profiles';
import { signDocument } from '#domain/proof/sign';
import type { StatusList } from '#domain/records';
import { getBit, withBit } from '#domain/status-list';
import { statusListCredential, statusListUrl } from '#domain/status-list-credential';

/** Concurrent revocations on one list retry on a version conflict; this many conflicts in a row is a real fault. */
const maxAttempts = 8;

const signList = async (deps: Dependencies, list: Pick<StatusList, 'listId' | 'issuerId'>, bits: Uint8Array) => {
  const baseUrl = await deps.publicBaseUrl();
  const did = issuerDid(baseUrl, list.issuerId);
  const unsigned = statusListCredential({
    url: statusListUrl(baseUrl, list.listId),
    issuerDid: did,
    bits,
    validFrom: deps.clock.now().toISOString(),
  });
  return signDocument(unsigned, deps.signer, { issuerDid: did });
};

/**
 * The stored signed status list credential: what `GET /status/{listId}` serves. Only read, never signed here: the
 * public function may not sign or update (README, "Why the public function cannot sign or write"); a list is
 * signed by whoever opens it (`publishStatusList`, at issue) and re-signed by whoever changes it (`setRevocationBit`).
 */
export const currentStatusListCredential = async (deps: Dependencies, listId: string): Promise<Record<string, unknown>> => {
  const list = await deps.store.statusLists.get(listId);
  if (!list) throw notFound('The status list');
  if (!list.credential || list.credentialVersion !== list.version) throw notFound('A signed copy of the status list');
  return list.credential;
};

/** Lists this process saw signed: a signed list stays signed (every change re-signs it), so one read per list. */
const published = new Set<string>();

/**
 * Signs and stores a list that has no signed copy yet (a list just opened): called by the functions that issue
 * (they hold kms:Sign) before a credential pointing at the list leaves them.
 */
export const publishStatusList = async (deps: Dependencies, listId: string): Promise<void> => {
  if (published.has(listId)) return;
  const list = await deps.store.statusLists.get(listId);
  if (!list) throw notFound('The status list');
  if (!list.credential || list.credentialVersion !== list.version) {
    await deps.store.statusLists.saveCredential(listId, await signList(deps, list, list.bits), list.version);
  }
  published.add(listId);
};

/**
 * Sets a credential's revocation bit and re-signs the list in the same conditional write: the stored bits are the
 * source of truth (never rebuilt from credential rows), and a concurrent revocation makes this one re-read and retry.
 */
export const setRevocationBit = async (deps: Dependencies, listId: string, index: number): Promise<void> => {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const list = await deps.store.statusLists.get(listId);
    if (!list) throw notFound('The status list');
    if (getBit(list.bits, index)) return;
    const bits = withBit(list.bits, index);
    const signed = await signList(deps, list, bits);
    if (await deps.store.statusLists.saveBits(listId, bits, list.version, signed)) return;
  }
  throw conflict('The status list is being changed by many requests at once; try the revocation again.');
};
