import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bytesSource, type DropOptions, readDrop } from '#domain/csv/parse-drop';
import type { DropRow, RowOutcome } from '#domain/csv/row';

export const fixture = (name: string): Uint8Array =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/samples/${name}`, import.meta.url)));

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Parses bytes (or UTF-8 text) fed as a stream of `chunkSize`-byte chunks. */
export const parse = (input: Uint8Array | string, chunkSize = 64 * 1024, options?: DropOptions) =>
  readDrop(bytesSource(typeof input === 'string' ? utf8(input) : input, chunkSize), options);

export const rowsOf = (outcomes: RowOutcome[]): DropRow[] => outcomes.flatMap((outcome) => (outcome.ok ? [outcome.row] : []));

export const errorsOf = (outcomes: RowOutcome[]) => outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome]));

/** Runs `promise` and returns what it rejected with (fails the test if it resolved). */
export const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};
