import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const doc = readFileSync('ARCHITECTURE.md', 'utf8');
// Every `path` in backticks that names a file or folder of the repository (it has a slash or an extension).
const namedPaths = [...doc.matchAll(/`([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.<>-]+)+\/?|[A-Za-z0-9_-]+\.(?:ts|md|json))`/g)]
  .map((match) => match[1]!)
  .filter((path) => !path.includes('<'));

describe('ARCHITECTURE.md', () => {
  it('names files', () => {
    expect(namedPaths).toContain('functions/features/bulk/row-to-credential.ts');
  });

  it('names only paths that exist', () => {
    expect(namedPaths.filter((path) => !existsSync(path))).toEqual([]);
  });

  it('answers each of the eight questions with one file', () => {
    const answers = [...doc.matchAll(/^\| ([^|]+) \| `([^`]+)`/gm)].filter(([, question]) => question !== 'question ');
    expect(answers).toHaveLength(8);
    for (const [, , path] of answers) expect(existsSync(path!)).toBe(true);
  });
});
