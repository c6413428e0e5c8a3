import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BakeError, bakePng, bakeSvg, detectImageKind, OB3_PNG_KEYWORD, unbakeImage, unbakePng, unbakeSvg } from '#domain/baking/index';
import { credentialJson, plainPng } from './helpers';

const KINDS = ['ob3', 'ob2', 'none', 'invalid'];
const BAKED_PNG = bakePng(plainPng(), credentialJson());
const BAKED_SVG = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>', { json: credentialJson() });

const mutation = fc.record({
  edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});

describe('robustness (property-based)', () => {
  it('unbakePng never throws on random byte mutations and truncations of a baked PNG', () => {
    // Prepare
    const property = fc.property(mutation, ({ edits, cut }) => {
      const bytes = Uint8Array.from(BAKED_PNG);
      for (const { at, value } of edits) bytes[at % bytes.length] = value;
      const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      // Act
      const result = unbakePng(input);
      // Assess
      expect(KINDS).toContain(result.kind);
    });
    // Act + Assess
    fc.assert(property, { numRuns: 500 });
  });

  it('a mutation outside the credential chunk never yields a different credential', () => {
    // Prepare: mutations land past the IHDR and credential chunks, i.e. in the image data or IEND
    const credentialEnd = Buffer.from(BAKED_PNG).indexOf('IDAT') - 4;
    expect(credentialEnd).toBe(8 + 25 + 12 + OB3_PNG_KEYWORD.length + 5 + Buffer.byteLength(credentialJson()));
    const property = fc.property(mutation, ({ edits }) => {
      const bytes = Uint8Array.from(BAKED_PNG);
      for (const { at, value } of edits) bytes[credentialEnd + (at % (bytes.length - credentialEnd))] = value;
      // Act
      const result = unbakePng(bytes);
      // Assess
      if (result.kind === 'ob3') expect(result.payload).toBe(credentialJson());
      else expect(result.kind).toBe('invalid');
    });
    // Act + Assess
    fc.assert(property, { numRuns: 300 });
  });

  it('bakePng either bakes or refuses with a BakeError, whatever the bytes', () => {
    // Prepare
    const property = fc.property(mutation, ({ edits, cut }) => {
      const bytes = Uint8Array.from(BAKED_PNG);
      for (const { at, value } of edits) bytes[at % bytes.length] = value;
      const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      // Act
      let outcome: unknown;
      try {
        outcome = bakePng(input, 'a.b.c');
      } catch (error) {
        outcome = error;
      }
      // Assess
      if (outcome instanceof Uint8Array) expect(unbakePng(outcome)).toEqual({ kind: 'ob3', payload: 'a.b.c' });
      else expect(outcome).toBeInstanceOf(BakeError);
    });
    // Act + Assess
    fc.assert(property, { numRuns: 300 });
  });

  it('unbakeSvg never throws on random edits of a baked SVG', () => {
    // Prepare
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 20 }), insert: fc.string({ maxLength: 12 }) });
    const property = fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
      let svg = BAKED_SVG;
      for (const { at, remove, insert } of edits) {
        const i = at % (svg.length + 1);
        svg = svg.slice(0, i) + insert + svg.slice(i + remove);
      }
      // Act
      const result = unbakeSvg(svg);
      // Assess
      expect(KINDS).toContain(result.kind);
    });
    // Act + Assess
    fc.assert(property, { numRuns: 500 });
  });

  it('bake → unbake is the identity for any well-formed payload (PNG and SVG)', () => {
    // Prepare
    const payload = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .filter((s) => s.trim() !== '')
      .map((s) => JSON.stringify({ name: s, tricky: `${s}]]>` }));
    const property = fc.property(payload, (json) => {
      // Act
      const results = [unbakePng(bakePng(BAKED_PNG, json)), unbakeSvg(bakeSvg(BAKED_SVG, { json }))];
      // Assess
      expect(results).toEqual([
        { kind: 'ob3', payload: json },
        { kind: 'ob3', payload: json },
      ]);
    });
    // Act + Assess
    fc.assert(property, { numRuns: 200 });
  });

  it('detectImageKind and unbakeImage never throw on arbitrary bytes', () => {
    // Prepare
    const property = fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, asPng) => {
      const head = asPng ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] : Array.from(Buffer.from('<svg'));
      const bytes = Uint8Array.from([...head, ...tail]);
      // Act
      const kind = detectImageKind(bytes);
      const result = unbakeImage(bytes);
      // Assess
      expect(['png', 'svg', 'unknown']).toContain(kind);
      expect(KINDS).toContain(result.kind);
    });
    // Act + Assess
    fc.assert(property, { numRuns: 300 });
  });
});
