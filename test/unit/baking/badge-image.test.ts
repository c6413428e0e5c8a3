import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { badgePng, badgeSvg, bakePng, issuerInitials, unbakePng, wrapBadgeName } from '#domain/baking/index';
import { AppError } from '#domain/errors';
import { chunksOf, decodePixels, keywordOf } from './helpers';

const parse = (svg: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: true }).parse(svg) as {
    svg: Record<string, unknown> & { title: { '#text': string; id: string }; desc: { '#text': string; id: string } };
  };

describe('badgeSvg', () => {
  it('is well-formed XML with an accessible name and description', () => {
    // Act
    const svg = badgeSvg({ achievementName: 'Reading Champion', issuerName: 'Lincoln High School' });
    // Assess
    expect(XMLValidator.validate(svg)).toBe(true);
    const root = parse(svg).svg;
    expect(root.role).toBe('img');
    expect(root.title['#text']).toBe('Reading Champion');
    expect(root.desc['#text']).toContain('Lincoln High School');
    expect(String(root['aria-labelledby']).split(' ')).toEqual([root.title.id, root.desc.id]);
  });

  it('escapes < & > " in names, which come back intact when parsed', () => {
    // Prepare
    const achievementName = `<script>alert("x")</script> & 'more'`;
    const issuerName = 'Smith & Sons <"Academy">';
    // Act
    const svg = badgeSvg({ achievementName, issuerName });
    // Assess
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;more&apos;');
    const root = parse(svg).svg;
    expect(root.title['#text']).toBe(achievementName);
    expect(root.desc['#text']).toContain(issuerName);
  });

  it('drops characters XML cannot carry instead of producing a broken file', () => {
    // Act
    const svg = badgeSvg({ achievementName: 'Bell\u0007 ringer\uFFFF', issuerName: 'School\u0000' });
    // Assess
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(parse(svg).svg.title['#text']).toBe('Bell ringer');
  });

  it('wraps a long name onto at most three lines and shows the issuer initials', () => {
    // Act
    const svg = badgeSvg({
      achievementName: 'Outstanding Achievement in Advanced Placement Environmental Science and Field Research',
      issuerName: 'Springfield Unified School District',
    });
    // Assess
    const tspans = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);
    expect(tspans).toHaveLength(3);
    expect(tspans[2]).toMatch(/…$/);
    expect(svg).toMatch(/>SUSD<\/text>/);
  });

  it('is deterministic and differs with its input', () => {
    // Prepare
    const input = { achievementName: 'Art Star', issuerName: 'Roosevelt Elementary', color: '#C62828' };
    // Act
    const [a, b, other] = [badgeSvg(input), badgeSvg({ ...input }), badgeSvg({ ...input, color: '#2e7d32' })];
    // Assess
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    expect(a).toContain('fill="#c62828"');
  });

  it('picks dark text on a light colour and white text on a dark one', () => {
    // Act
    const light = badgeSvg({ achievementName: 'A', issuerName: 'B', color: '#ffeb3b' });
    const dark = badgeSvg({ achievementName: 'A', issuerName: 'B', color: '#0d1b2a' });
    // Assess
    expect(light).toContain('fill="#111111"');
    expect(dark).toContain('fill="#ffffff"');
  });

  it('rejects a colour that is not hex (it would land in an attribute)', () => {
    // Act
    const act = () => badgeSvg({ achievementName: 'A', issuerName: 'B', color: 'red" onload="alert(1)' });
    // Assess
    expect(act).toThrow(AppError);
  });
});

describe('issuerInitials and wrapBadgeName', () => {
  it.each([
    ['Lincoln High School', 'LHS'],
    ['Springfield Unified School District', 'SUSD'],
    ['École Sainte-Anne', 'ESA'],
    ['Academy of the Arts', 'AA'],
    ['The', 'T'],
    ['   ', '★'],
    ['!!!', '★'],
  ])('%s → %s', (name, initials) => {
    // Act
    const result = issuerInitials(name);
    // Assess
    expect(result).toBe(initials);
  });

  it('breaks between words, cuts an over-long word and never splits a surrogate pair', () => {
    // Act
    const lines = wrapBadgeName('Supercalifragilisticexpialidocious 📚📚📚 reader', 10, 4);
    // Assess
    expect(lines).toEqual(['Supercalif', 'ragilistic', 'expialidoc', 'ious 📚📚📚…']);
    expect(lines.every((l) => Array.from(l).length <= 10)).toBe(true);
  });

  it('keeps a short name on one line', () => {
    // Act
    const lines = wrapBadgeName('  Kind   Helper ');
    // Assess
    expect(lines).toEqual(['Kind Helper']);
  });
});

describe('badgePng', () => {
  const input = { achievementName: 'Reading Champion', issuerName: 'Lincoln High School', color: '#1f4e9c' };

  it('is a PNG a generic decoder reads: 256×256 RGBA, transparent corners, the badge colour inside', () => {
    // Act
    const png = badgePng(input);
    // Assess
    const { width, height, data } = decodePixels(png);
    expect([width, height]).toEqual([256, 256]);
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));
    expect(pixel(0, 0)).toEqual([0, 0, 0, 0]);
    expect(pixel(128, 60)).toEqual([0x1f, 0x4e, 0x9c, 255]);
    expect(pixel(128, 8)).toEqual([0x16, 0x37, 0x6d, 255]); // the ring, 30% darker
  });

  it('draws the initials in the contrasting ink', () => {
    // Act
    const { width, data } = decodePixels(badgePng(input));
    // Assess
    const row = 128 * width * 4;
    const whites = Array.from({ length: width }, (_, x) => data.readUInt32BE(row + x * 4)).filter((v) => v === 0xffffffff);
    expect(whites.length).toBeGreaterThan(20);
  });

  it('is deterministic, honours the size, and carries the name in a Title chunk', () => {
    // Act
    const [a, b, big] = [badgePng(input), badgePng({ ...input }), badgePng({ ...input, size: 512 })];
    // Assess
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(decodePixels(big).width).toBe(512);
    const title = chunksOf(a).find((c) => c.name === 'iTXt' && keywordOf(c) === 'Title')!;
    expect(Buffer.from(title.data).toString('utf8')).toContain('Reading Champion');
  });

  it('has nothing baked in until it is baked, then round-trips', () => {
    // Prepare
    const png = badgePng({ ...input, issuerName: 'Escuela José Núñez' });
    // Act
    const [before, after] = [unbakePng(png), unbakePng(bakePng(png, '{"name":"José Núñez"}'))];
    // Assess
    expect(before).toEqual({ kind: 'none' });
    expect(after).toEqual({ kind: 'ob3', payload: '{"name":"José Núñez"}' });
  });

  it.each([32, 2048, 100.5])('rejects size %s', (size) => {
    // Act
    const act = () => badgePng({ ...input, size });
    // Assess
    expect(act).toThrow(AppError);
  });
});
