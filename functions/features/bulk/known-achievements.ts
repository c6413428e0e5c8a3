import { LRUCache } from 'lru-cache';
import type { Dependencies } from '#config/dependencies';
import { AppError } from '#domain/errors';
import type { PathwayLink } from '#domain/pathways';
import { type PublicAchievement, publicAchievement } from '#features/achievements/public-achievement';

/**
 * Achievements this worker resolved in the last minute (by code or id, with their issuer, public document and the
 * pathways holding them), per store: a drop names the same few on every row. An edit of an achievement, issuer or
 * pathway therefore reaches drop rows within a minute; API issues always read them afresh.
 */
export interface KnownAchievement {
  achievement: PublicAchievement;
  pathwayLinks: readonly PathwayLink[];
}
const knownAchievementsByStore = new WeakMap<object, LRUCache<string, KnownAchievement>>();
const achievementMemoryMs = 60_000;

export const achievementFor = async (deps: Dependencies, reference: string): Promise<KnownAchievement> => {
  const code = reference.toUpperCase();
  let known = knownAchievementsByStore.get(deps.store.achievements);
  if (!known) {
    // A district has a few hundred achievements at most; the minute runs on the injected clock.
    known = new LRUCache<string, KnownAchievement>({
      max: 1_000,
      ttl: achievementMemoryMs,
      ttlResolution: 0,
      ttlAutopurge: false,
      perf: { now: () => deps.clock.now().getTime() },
    });
    knownAchievementsByStore.set(deps.store.achievements, known);
  }
  const remembered = known.get(code);
  if (remembered) return remembered;
  const id =
    (await deps.store.achievements.getByCode(code))?.id ??
    (/^[A-Za-z0-9-]{8,64}$/.test(reference) && (await deps.store.achievements.get(reference)) ? reference : undefined);
  // The reason names no cell value: the report outlives the drop (staff see the code on that line of their file).
  if (!id) throw new AppError('not_found', 'unknown achievement (no achievement has this id or code)');
  const resolved = { achievement: await publicAchievement(deps, id), pathwayLinks: await deps.store.pathways.listContaining(id) };
  known.set(code, resolved);
  return resolved;
};
