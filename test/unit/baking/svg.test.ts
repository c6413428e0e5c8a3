import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { BakeError, badgeSvg, bakeSvg, OB3_SVG_NAMESPACE, unbakeSvg } from '#domain/baking/index';
import { credentialJson, fixture, SAMPLE_JWT } from './helpers';

const ordered = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  ignoreDeclaration: true,
  cdataPropName: '#cdata',
});
type Node = Record<string, unknown>;
const tagOf = (node: Node) => Object.keys(node).find((k) => k !== ':@')!;
/** The root element's tag, its attributes and the tags of its element children, in order. */
function rootOf(svg: string): { tag: string; attributes: Record<string, string>; children: Node[]; childTags: string[] } {
  const root = (ordered.parse(svg) as Node[]).find((n) => !tagOf(n).startsWith('#'))!;
  const tag = tagOf(root);
  const children = root[tag] as Node[];
  return {
    tag,
    attributes: (root[':@'] ?? {}) as Record<string, string>,
    children,
    childTags: children.map(tagOf).filter((t) => !t.startsWith('#')),
  };
}
const count = (text: string, needle: string) => text.split(needle).length - 1;

const PLAIN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';

describe('bakeSvg / unbakeSvg round trip', () => {
  it('gives back exactly the baked credential JSON, unicode included', () => {
    // Prepare
    const json = credentialJson('José Núñez');
    // Act
    const result = unbakeSvg(bakeSvg(PLAIN, { json }));
    // Assess
    expect(result).toEqual({ kind: 'ob3', payload: json });
  });

  it('carries a JSON containing "]]>" (and a CR) by splitting the CDATA section', () => {
    // Prepare
    const json = JSON.stringify({ name: 'Tricky ]]> name', nested: { end: ']]>]]>' } }).replace('{', '{\r\n');
    // Act
    const baked = bakeSvg(PLAIN, { json });
    // Assess
    expect(XMLValidator.validate(baked)).toBe(true);
    expect(baked).toContain(']]]]><![CDATA[>');
    expect(unbakeSvg(baked)).toEqual({ kind: 'ob3', payload: json });
  });

  it('puts a JWT in the verify attribute of an empty element', () => {
    // Act
    const baked = bakeSvg(PLAIN, { jwt: SAMPLE_JWT });
    // Assess
    expect(baked).toContain(`<openbadges:credential verify="${SAMPLE_JWT}"></openbadges:credential>`);
    expect(unbakeSvg(baked)).toEqual({ kind: 'ob3', payload: SAMPLE_JWT });
  });

  it('round-trips through a generated badge with a unicode achievement name', () => {
    // Prepare
    const svg = badgeSvg({ achievementName: 'Lectura — José Núñez', issuerName: 'Escuela Núñez' });
    const json = credentialJson('José Núñez');
    // Act
    const result = unbakeSvg(bakeSvg(svg, { json }));
    // Assess
    expect(result).toEqual({ kind: 'ob3', payload: json });
  });
});

describe('the baked SVG', () => {
  it('binds xmlns:openbadges on the root and has the credential as its first child, in CDATA', () => {
    // Act
    const baked = bakeSvg(PLAIN, { json: credentialJson() });
    // Assess
    const root = rootOf(baked);
    expect(root.attributes['xmlns:openbadges']).toBe(OB3_SVG_NAMESPACE);
    expect(root.childTags).toEqual(['openbadges:credential', 'rect']);
    expect(baked).toMatch(/^<svg [^>]*><openbadges:credential><!\[CDATA\[\{/);
  });

  it('changes nothing else in a real-world file (declaration, DOCTYPE, comments, odd attributes)', () => {
    // Prepare
    const original = fixture('illustrator-export.svg');
    // Act
    const baked = bakeSvg(original, { jwt: SAMPLE_JWT });
    // Assess
    const element = `<openbadges:credential verify="${SAMPLE_JWT}"></openbadges:credential>`;
    const binding = ` xmlns:openbadges="${OB3_SVG_NAMESPACE}"`;
    expect(baked.replace(element, '').replace(binding, '')).toBe(original);
    expect(rootOf(baked).childTags[0]).toBe('openbadges:credential');
    expect(XMLValidator.validate(baked)).toBe(true);
    expect(unbakeSvg(baked)).toEqual({ kind: 'ob3', payload: SAMPLE_JWT });
  });

  it('opens a self-closing root to hold the credential', () => {
    // Act
    const baked = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg" />', { jwt: 'a.b.c' });
    // Assess
    expect(baked).toBe(
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${OB3_SVG_NAMESPACE}"><openbadges:credential verify="a.b.c"></openbadges:credential></svg>`,
    );
  });

  it('rebinds an OB 2.0 openbadges prefix instead of declaring it twice', () => {
    // Act
    const baked = bakeSvg(fixture('ob2-baked.svg'), { json: credentialJson() });
    // Assess
    expect(count(baked, 'xmlns:openbadges=')).toBe(1);
    expect(rootOf(baked).attributes['xmlns:openbadges']).toBe(OB3_SVG_NAMESPACE);
    expect(baked).not.toContain('openbadges:assertion');
    expect(unbakeSvg(baked)).toEqual({ kind: 'ob3', payload: credentialJson() });
  });
});

describe('re-baking an SVG', () => {
  it('replaces the credential rather than adding one', () => {
    // Prepare
    const once = bakeSvg(PLAIN, { json: credentialJson('First Learner') });
    // Act
    const twice = bakeSvg(once, { jwt: SAMPLE_JWT });
    // Assess
    expect(count(twice, '<openbadges:credential')).toBe(1);
    expect(count(twice, 'xmlns:openbadges=')).toBe(1);
    expect(unbakeSvg(twice)).toEqual({ kind: 'ob3', payload: SAMPLE_JWT });
  });

  it('is idempotent: the same credential baked again gives the same text', () => {
    // Prepare
    const once = bakeSvg(fixture('illustrator-export.svg'), { json: credentialJson() });
    // Act
    const twice = bakeSvg(once, { json: credentialJson() });
    // Assess
    expect(twice).toBe(once);
  });

  it('finds and removes a credential that is not the first child, under another prefix', () => {
    // Prepare
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="${OB3_SVG_NAMESPACE}"><g><ob:credential verify="old.old.old"/></g></svg>`;
    // Act
    const baked = bakeSvg(svg, { jwt: 'new.new.new' });
    // Assess
    expect(baked).not.toContain('old.old.old');
    expect(unbakeSvg(baked)).toEqual({ kind: 'ob3', payload: 'new.new.new' });
  });
});

describe('what unbakeSvg reports', () => {
  it('ob2 for an OB 2.0 <openbadges:assertion>', () => {
    // Act
    const result = unbakeSvg(fixture('ob2-baked.svg'));
    // Assess
    expect(result).toEqual({ kind: 'ob2' });
  });

  it('none for an SVG with nothing baked in', () => {
    // Act
    const results = [PLAIN, fixture('illustrator-export.svg'), badgeSvg({ achievementName: 'A', issuerName: 'B' })].map(unbakeSvg);
    // Assess
    expect(results).toEqual([{ kind: 'none' }, { kind: 'none' }, { kind: 'none' }]);
  });

  it('the credential from another tool: entity-escaped JSON without CDATA, whitespace around it', () => {
    // Prepare
    const svg = `<svg xmlns:openbadges="${OB3_SVG_NAMESPACE}">\n  <openbadges:credential>\n    {&quot;name&quot;:&quot;A &amp; B &#x1F4DA;&quot;}\n  </openbadges:credential>\n</svg>`;
    // Act
    const result = unbakeSvg(svg);
    // Assess
    expect(result).toEqual({ kind: 'ob3', payload: '\n    {"name":"A & B 📚"}\n  ' });
    expect(JSON.parse((result as { payload: string }).payload)).toEqual({ name: 'A & B 📚' });
  });

  it('the credential under a prefix bound to the OB 3.0 namespace', () => {
    // Prepare
    const svg = `<s:svg xmlns:s="http://www.w3.org/2000/svg" xmlns:ob3="${OB3_SVG_NAMESPACE}"><s:g/><ob3:credential verify="a.b.c"/></s:svg>`;
    // Act
    const result = unbakeSvg(svg);
    // Assess
    expect(result).toEqual({ kind: 'ob3', payload: 'a.b.c' });
  });

  it('a billion-laughs DOCTYPE is refused, not expanded, at once', () => {
    // Prepare
    const svg = fixture('billion-laughs.svg');
    const started = performance.now();
    // Act
    const result = unbakeSvg(svg);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/entities/) });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('an external entity (XXE) is refused, never resolved', () => {
    // Act
    const result = unbakeSvg(fixture('external-entity.svg'));
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/entities/) });
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('an undeclared entity in the credential is not expanded', () => {
    // Prepare
    const svg = `<svg xmlns:openbadges="${OB3_SVG_NAMESPACE}"><openbadges:credential>&lol9;</openbadges:credential></svg>`;
    // Act
    const result = unbakeSvg(svg);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/entity/) });
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'hello'],
    ['JSON', '{"@context":[]}'],
    ['an HTML page', '<html><body><svg></svg></body></html>'],
    ['unclosed tags', '<svg><g></svg>'],
    ['two roots', '<svg/><svg/>'],
    ['a prototype-polluting attribute', '<svg><g __proto__="x"/></svg>'],
    ['an empty credential', `<svg xmlns:openbadges="${OB3_SVG_NAMESPACE}"><openbadges:credential>  </openbadges:credential></svg>`],
    ['a non-string', 42 as unknown as string],
  ])('invalid, without throwing, for %s', (_what, svg) => {
    // Prepare: the input above
    // Act
    const result = unbakeSvg(svg);
    // Assess
    expect(result.kind).toBe('invalid');
  });
});

describe('bakeSvg refuses', () => {
  it.each([
    ['neither JSON nor JWT', PLAIN, {}],
    ['both JSON and JWT', PLAIN, { json: '{}', jwt: 'a.b.c' }],
    ['a JWT that is not compact', PLAIN, { jwt: 'not a jwt' }],
    ['a JWT that would break out of the attribute', PLAIN, { jwt: 'a.b.c"><script>' }],
    ['JSON with a control character XML cannot carry', PLAIN, { json: '{"a":"\u0001"}' }],
    ['an empty JSON', PLAIN, { json: '' }],
    ['an image that is not SVG', '<html/>', { jwt: 'a.b.c' }],
    ['malformed XML', '<svg><g></svg>', { jwt: 'a.b.c' }],
    ['a DOCTYPE with entities', fixture('billion-laughs.svg'), { jwt: 'a.b.c' }],
  ])('%s, with a BakeError', (_what, svg, payload) => {
    // Prepare: the inputs above
    // Act
    const act = () => bakeSvg(svg, payload);
    // Assess
    expect(act).toThrow(BakeError);
  });
});
