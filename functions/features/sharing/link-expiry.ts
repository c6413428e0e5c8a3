import type { Dependencies } from '#config/dependencies';
import { notFound } from '#domain/errors';
import type { Share } from '#domain/records';

/** An unexpired, not withdrawn link. */
export const liveShare = async (deps: Dependencies, token: string): Promise<Share> => {
  const share = await deps.store.shares.get(token);
  if (!share || share.expiresAt <= deps.clock.now().toISOString()) throw notFound('The shared credential');
  return share;
};
