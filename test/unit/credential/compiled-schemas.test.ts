import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledSchemas, compileSchemas } from '../../../scripts/compile-schemas';

const root = join(import.meta.dirname, '..', '..', '..');

describe('precompiled JSON Schema validators (scripts/compile-schemas.ts)', () => {
  it('the committed generated modules are what `npm run compile-schemas` produces from the schemas and the installed ajv', () => {
    // Prepare
    const expected = compileSchemas();

    // Act
    const committed = [...expected.keys()].map((file) => [file, readFileSync(join(root, file), 'utf8')] as const);

    // Assess: a module and its declarations per schema, each identical to a fresh compilation.
    expect(expected.size).toBe(compiledSchemas.length * 2);
    for (const [file, contents] of committed) expect(contents, `${file} is stale: run npm run compile-schemas`).toBe(expected.get(file));
  });
});
