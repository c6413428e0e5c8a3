import { createHash } from 'node:crypto';
import type { Dependencies } from '#config/dependencies';

/** A salted hash of an SIS id: lets a tombstone recognise a re-drop without keeping the student number. */
export const learnerHash = async (deps: Dependencies, sourcedId: string): Promise<string> =>
  `sha256$${createHash('sha256')
    .update(`${await deps.district.identifierPepper()}\u0000${sourcedId}`)
    .digest('hex')}`;
