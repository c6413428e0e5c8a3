import { describe, expect, it } from 'vitest';
import { bakePng, bakeSvg, detectImageKind, unbakeImage } from '#domain/baking/index';
import { fixture, plainPng, SAMPLE_JWT, tEXt, withChunks } from './helpers';

const utf8 = (text: string) => new TextEncoder().encode(text);
const utf16le = (text: string) => Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);

describe('detectImageKind', () => {
  it('png for the PNG signature', () => {
    // Act
    const kind = detectImageKind(plainPng());
    // Assess
    expect(kind).toBe('png');
  });

  it.each([
    ['a bare root', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['a BOM and whitespace', '\uFEFF \n\t<svg></svg>'],
    ['an XML declaration, comments and a DOCTYPE', fixture('illustrator-export.svg')],
    ['a DOCTYPE with an internal subset', '<!DOCTYPE svg [ <!-- ] > --> <!ATTLIST svg a CDATA "]>"> ]><svg/>'],
    ['a prefixed root', '<s:svg xmlns:s="http://www.w3.org/2000/svg"/>'],
  ])('svg for %s (bytes and string)', (_what, text) => {
    // Act
    const kinds = [detectImageKind(utf8(text)), detectImageKind(text)];
    // Assess
    expect(kinds).toEqual(['svg', 'svg']);
  });

  it('svg for UTF-16 text with a BOM', () => {
    // Act
    const kind = detectImageKind(utf16le('<?xml version="1.0" encoding="UTF-16"?><svg/>'));
    // Assess
    expect(kind).toBe('svg');
  });

  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['a JPEG', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0])],
    ['JSON', utf8('{"type":["VerifiableCredential"]}')],
    ['a JWT', utf8(SAMPLE_JWT)],
    ['an HTML page embedding an svg', utf8('<html><body><svg></svg></body></html>')],
    ['an element merely starting with svg', utf8('<svgx/>')],
    ['text before the root', utf8('hello <svg/>')],
    ['a truncated PNG signature', Uint8Array.from([0x89, 0x50, 0x4e])],
  ])('unknown for %s', (_what, bytes) => {
    // Act
    const kind = detectImageKind(bytes);
    // Assess
    expect(kind).toBe('unknown');
  });
});

describe('unbakeImage', () => {
  it('unbakes a PNG and an SVG by content', () => {
    // Prepare
    const png = bakePng(plainPng(), SAMPLE_JWT);
    const svg = utf8(bakeSvg(fixture('illustrator-export.svg'), { jwt: SAMPLE_JWT }));
    // Act
    const results = [unbakeImage(png), unbakeImage(svg)];
    // Assess
    expect(results).toEqual([
      { kind: 'ob3', payload: SAMPLE_JWT },
      { kind: 'ob3', payload: SAMPLE_JWT },
    ]);
  });

  it('unbakes a UTF-16 SVG', () => {
    // Prepare
    const svg = utf16le(bakeSvg('<svg/>', { json: '{"name":"José"}' }));
    // Act
    const result = unbakeImage(svg);
    // Assess
    expect(result).toEqual({ kind: 'ob3', payload: '{"name":"José"}' });
  });

  it('reports OB 2.0 and plain images', () => {
    // Act
    const results = [
      unbakeImage(withChunks(plainPng(), tEXt('openbadges', '{}'))),
      unbakeImage(utf8(fixture('ob2-baked.svg'))),
      unbakeImage(plainPng()),
    ].map((r) => r.kind);
    // Assess
    expect(results).toEqual(['ob2', 'ob2', 'none']);
  });

  it('invalid for bytes that are neither, and for an SVG that is not UTF-8', () => {
    // Act
    const results = [unbakeImage(utf8('{"a":1}')), unbakeImage(Uint8Array.from([...utf8('<svg>'), 0xc3, 0x28, ...utf8('</svg>')]))];
    // Assess
    expect(results.map((r) => r.kind)).toEqual(['invalid', 'invalid']);
  });
});
