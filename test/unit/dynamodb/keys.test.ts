import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as keys from '#adapters/dynamodb/keys';

const root = join(import.meta.dirname, '../../..');
const keysFile = join(root, 'functions/adapters/dynamodb/keys.ts');

const sourceFiles = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

/** Every production source file except keys.ts itself (functions/ is where no key may be spelled by hand). */
const functionSources = sourceFiles(join(root, 'functions')).filter((path) => path !== keysFile);
/** Where a key function may be used: the functions, and the stack (lib/: the public function's IAM key condition). */
const usingSources = [...functionSources, ...sourceFiles(join(root, 'lib'))];

interface Literal {
  line: number;
  text: string;
}

/** The text of every string and template literal of a source (comments and code are left out). */
const literalsIn = (fileName: string, code: string): Literal[] => {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const found: Literal[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      found.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

/** What a `<placeholder>` of the key map stands for: dates and numbers exactly, any other value without `#`. */
const placeholderPattern = (name: string): string => {
  const patterns: Record<string, string> = {
    yyyy: '\\d{4}',
    'yyyy-mm': '\\d{4}-\\d{2}',
    'yyyy-mm-dd': '\\d{4}-\\d{2}-\\d{2}',
    n: '\\d+',
    days: '\\d+',
    '9 digits': '\\d{9}',
  };
  if (patterns[name]) return patterns[name];
  if (/At$|^at$|^validUntil$/.test(name)) return '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z';
  return '[^#,\\s]+';
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const keyPattern = (documented: string): RegExp =>
  new RegExp(
    `^${documented
      .split(/(<[^>]+>)/)
      .map((part) => (part.startsWith('<') ? placeholderPattern(part.slice(1, -1)) : escapeRegExp(part)))
      .join('')}$`,
  );

const rendered = (attributes: Record<string, string>): string =>
  Object.entries(attributes)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');

/** The key map's constant values (`sk=PROFILE`, `gsi1pk=JOBS` …): words no other file may spell either. */
const constantKeyValues = new Set(keys.keyMap.flatMap((family) => [...family.key.matchAll(/=([A-Z]+)(?=,|$)/g)].map((match) => match[1]!)));

/** A `LEARNER#`-style prefix, or one of the key map's constant values. */
const isHandSpelledKey = ({ text }: Literal): boolean => /[A-Z]{2,}#/.test(text) || constantKeyValues.has(text);

const keyExports = Object.entries(keys);
const keyFunctions = keyExports.flatMap(([name, value]) => (typeof value === 'function' ? [{ name, source: String(value) }] : []));
const keyPrefixes = keyExports.flatMap(([name, value]) => (typeof value === 'string' ? [{ name, value }] : []));

describe('the DynamoDB key map (keys.ts)', () => {
  it.each(keys.keyMap.map((family) => [family.accessPattern, family] as const))(
    'documents %s as the key functions build it',
    (_, family) => {
      // Prepare
      const pattern = keyPattern(family.key);

      // Act
      const example = family.example();

      // Assess
      expect(rendered(example)).toMatch(pattern);
      for (const [attribute, prefix] of Object.entries(family.prefixes ?? {}))
        expect(example[attribute]).toMatch(new RegExp(`^${escapeRegExp(prefix)}`));
    },
  );

  it('documents every key function and every prefix of keys.ts', () => {
    // Prepare
    const names = (source: string) => keyFunctions.filter(({ name }) => new RegExp(`\\b${name}\\b`).test(source));
    const declaredPrefixes = new Set(keys.keyMap.flatMap((family) => Object.values(family.prefixes ?? {})));

    // Act: the functions the examples call, and those these call in turn (a partition the key functions build on)
    const documented = new Set(keys.keyMap.flatMap((family) => names(family.example.toString())));
    for (const keyFunction of documented) for (const called of names(keyFunction.source)) documented.add(called);
    const undocumentedFunctions = keyFunctions.filter((keyFunction) => !documented.has(keyFunction)).map(({ name }) => name);
    const undocumentedPrefixes = keyPrefixes.filter(({ value }) => !declaredPrefixes.has(value)).map(({ name }) => name);

    // Assess
    expect(keyFunctions.length).toBeGreaterThan(40);
    expect(undocumentedFunctions).toEqual([]);
    expect(undocumentedPrefixes).toEqual([]);
  });

  it('has no key function or prefix that no adapter uses', () => {
    // Prepare
    const sources = usingSources.map((path) => readFileSync(path, 'utf8'));

    // Act
    const unused = [...keyFunctions, ...keyPrefixes]
      .map(({ name }) => name)
      .filter((name) => !sources.some((source) => new RegExp(`\\b${name}\\b`).test(source)));

    // Assess
    expect(unused).toEqual([]);
  });

  it('shards retention by year and expiry by month, as the map says', () => {
    // Act
    const retention = keys.retentionIndexKey('learner-1', '2031-08-31');
    const expiry = keys.expiryIndexKey('2027-06-30T00:00:00.000Z', 'cred-1');

    // Assess
    expect(retention.gsi3pk).toBe('RETENTION#2031');
    expect(expiry.gsi2pk).toBe('EXPIRES#2027-06');
  });
});

describe('keys outside keys.ts', () => {
  it('are never spelled by hand in functions/ (no LEARNER#-style prefix, no constant sort key)', () => {
    // Prepare
    expect(constantKeyValues).toContain('PROFILE');

    // Act
    const spelled = functionSources.flatMap((path) =>
      literalsIn(path, readFileSync(path, 'utf8'))
        .filter(isHandSpelledKey)
        .map(({ line, text }) => `${relative(root, path)}:${line} ${text}`),
    );

    // Assess
    expect(spelled).toEqual([]);
  });

  it('finds a hand-spelled key in a template or string literal, and not in a comment', () => {
    // Prepare
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is source text for the scanner, templates included
    const code = "// CRED# in a comment\nconst pk = `LEARNER#${id}`;\nconst sk = 'PROFILE';\nconst url = `https://x/${id}`;\n";

    // Act
    const spelled = literalsIn('sample.ts', code).filter(isHandSpelledKey);

    // Assess
    expect(spelled).toEqual([
      { line: 2, text: 'LEARNER#' },
      { line: 3, text: 'PROFILE' },
    ]);
  });
});
