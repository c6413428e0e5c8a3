/**
 * The district pseudonym of a learner (DESIGN §2): what a credential's `identifier` IdentityObject hashes instead
 * of the bare SIS id. A 6-digit student number under a published salt falls to brute force in under a second; an
 * HMAC-SHA-256 under the deployment's secret pepper cannot be enumerated by anyone who lacks the pepper.
 */
import { createHmac } from 'node:crypto';

/**
 * Domain separation: the same pepper keys the tombstone hash of deleted learners (features/learners/learner-hash.ts
 * `learnerHash`); under its own label, a pseudonym printed in a credential never equals that hash.
 */
const pseudonymLabel = 'merit/district-pseudonym/v1';

/** Lowercase hex HMAC-SHA-256(pepper, label ‖ NUL ‖ trimmed SIS id). */
export const districtPseudonym = (pepper: string, sisId: string): string =>
  createHmac('sha256', pepper).update(`${pseudonymLabel}\u0000${sisId.trim()}`, 'utf8').digest('hex');
