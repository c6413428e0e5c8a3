import { describe, expect, it } from 'vitest';
import { BakeError, badgePng, bakePng, OB3_PNG_KEYWORD, unbakePng } from '#domain/baking/index';
import { chunksOf, credentialJson, decodePixels, iTXt, keywordOf, plainPng, SAMPLE_JWT, tEXt, withChunks } from './helpers';

const credentialChunks = (png: Uint8Array) =>
  chunksOf(png).filter((c) => ['iTXt', 'tEXt', 'zTXt'].includes(c.name) && keywordOf(c) === OB3_PNG_KEYWORD);

describe('bakePng / unbakePng round trip', () => {
  it('gives back exactly the baked credential JSON, unicode included', () => {
    // Prepare
    const json = credentialJson('José Núñez');
    // Act
    const result = unbakePng(bakePng(plainPng(), json));
    // Assess
    expect(result).toEqual({ kind: 'ob3', payload: json });
  });

  it('gives back a compact JWT', () => {
    // Prepare
    const png = badgePng({ achievementName: 'Reading Champion', issuerName: 'Lincoln High School' });
    // Act
    const result = unbakePng(bakePng(png, SAMPLE_JWT));
    // Assess
    expect(result).toEqual({ kind: 'ob3', payload: SAMPLE_JWT });
  });

  it('accepts a Node Buffer as well as a Uint8Array', () => {
    // Prepare
    const baked = Buffer.from(bakePng(Buffer.from(plainPng()), 'a.b.c'));
    // Act
    const result = unbakePng(baked);
    // Assess
    expect(result).toEqual({ kind: 'ob3', payload: 'a.b.c' });
  });
});

describe('the baked PNG', () => {
  it('has exactly one iTXt chunk: keyword openbadgecredential, uncompressed, no language, UTF-8 text', () => {
    // Prepare
    const json = credentialJson('Zoë 李');
    // Act
    const baked = bakePng(plainPng(), json);
    // Assess
    const itxts = chunksOf(baked).filter((c) => c.name === 'iTXt');
    expect(itxts).toHaveLength(1);
    const data = itxts[0]!.data;
    const keyword = Buffer.from(OB3_PNG_KEYWORD, 'latin1');
    expect(Buffer.from(data.subarray(0, keyword.length)).equals(keyword)).toBe(true);
    // NUL, compression flag 0, method 0, empty language tag + NUL, empty translated keyword + NUL
    expect(Array.from(data.subarray(keyword.length, keyword.length + 5))).toEqual([0, 0, 0, 0, 0]);
    expect(Buffer.from(data.subarray(keyword.length + 5)).toString('utf8')).toBe(json);
  });

  it('keeps every original chunk, in order, with the credential right after IHDR', () => {
    // Prepare
    const original = withChunks(plainPng(), tEXt('Software', 'pngjs'));
    const before = chunksOf(original);
    // Act
    const after = chunksOf(bakePng(original, 'x.y.z'));
    // Assess
    expect(after.map((c) => c.name)).toEqual(['IHDR', 'iTXt', ...before.slice(1).map((c) => c.name)]);
    expect(after.filter((c) => c.name !== 'iTXt')).toEqual(before);
  });

  it('is still a valid PNG that a generic decoder reads, with the same pixels', () => {
    // Prepare
    const original = plainPng(9, 7);
    // Act
    const baked = bakePng(original, credentialJson());
    // Assess
    const decoded = decodePixels(baked);
    const reference = decodePixels(original);
    expect([decoded.width, decoded.height]).toEqual([9, 7]);
    expect(decoded.data.equals(reference.data)).toBe(true);
    expect(chunksOf(baked).at(-1)!.name).toBe('IEND');
  });
});

describe('re-baking', () => {
  it('replaces the credential instead of adding a second one', () => {
    // Prepare
    const once = bakePng(plainPng(), credentialJson('First Learner'));
    // Act
    const twice = bakePng(once, credentialJson('Second Learner'));
    // Assess
    expect(credentialChunks(twice)).toHaveLength(1);
    expect(unbakePng(twice)).toEqual({ kind: 'ob3', payload: credentialJson('Second Learner') });
  });

  it('is idempotent: baking the same credential again gives the same bytes', () => {
    // Prepare
    const once = bakePng(plainPng(), credentialJson());
    // Act
    const twice = bakePng(once, credentialJson());
    // Assess
    expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
  });

  it('removes OB 2.0 bakes and stray credential text chunks first', () => {
    // Prepare
    const dirty = withChunks(
      plainPng(),
      tEXt('openbadges', '{"type":"Assertion"}'),
      iTXt('openbadges', '{"type":"Assertion"}'),
      tEXt(OB3_PNG_KEYWORD, 'stale'),
      tEXt('Author', 'art teacher'),
    );
    // Act
    const baked = bakePng(dirty, 'a.b.c');
    // Assess
    const texts = chunksOf(baked).filter((c) => ['iTXt', 'tEXt'].includes(c.name));
    expect(texts.map((c) => `${c.name}:${keywordOf(c)}`)).toEqual([`iTXt:${OB3_PNG_KEYWORD}`, 'tEXt:Author']);
  });
});

describe('what unbakePng reports', () => {
  it('ob2 for an OB 2.0 tEXt bake', () => {
    // Prepare
    const png = withChunks(plainPng(), tEXt('openbadges', 'https://example.org/assertions/1'));
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toEqual({ kind: 'ob2' });
  });

  it('ob2 for an OB 2.0 iTXt bake', () => {
    // Prepare
    const png = withChunks(plainPng(), iTXt('openbadges', '{"@context":"https://w3id.org/openbadges/v2"}'));
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toEqual({ kind: 'ob2' });
  });

  it('none for a PNG without a credential, other text chunks notwithstanding', () => {
    // Prepare
    const png = withChunks(plainPng(), tEXt('Title', 'Art'), iTXt('Description', 'Ünïcödé'));
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toEqual({ kind: 'none' });
  });

  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['garbage', Uint8Array.from({ length: 64 }, (_, i) => (i * 7919) % 256)],
    ['a JPEG', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0])],
    ['only the PNG signature', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['an SVG', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')],
  ])('invalid, without throwing, for %s', (_what, bytes) => {
    // Prepare: the bytes above
    // Act
    const result = unbakePng(bytes);
    // Assess
    expect(result.kind).toBe('invalid');
  });

  it('invalid for every truncation of a baked PNG', () => {
    // Prepare
    const baked = bakePng(plainPng(), credentialJson());
    // Act
    const kinds = new Set(Array.from({ length: baked.length }, (_, n) => unbakePng(baked.subarray(0, n)).kind));
    // Assess
    expect([...kinds]).toEqual(['invalid']);
  });

  it('invalid, naming the checksum, when a byte of the credential is altered', () => {
    // Prepare
    const baked = bakePng(plainPng(), credentialJson());
    const tampered = Uint8Array.from(baked);
    const at = Buffer.from(baked).indexOf('Lincoln');
    tampered[at] = 'M'.charCodeAt(0);
    // Act
    const result = unbakePng(tampered);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/checksum/) });
  });

  it('invalid, quickly and without allocating, for a chunk claiming to be 2 GiB long', () => {
    // Prepare
    const png = Uint8Array.from(plainPng());
    png.set([0x7f, 0xff, 0xff, 0xf0], 33); // the length field of the chunk after IHDR
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/truncated/) });
  });

  it('invalid for a compressed credential chunk (OB 3.0 forbids compression)', () => {
    // Prepare
    const png = withChunks(plainPng(), iTXt(OB3_PNG_KEYWORD, credentialJson(), { compressed: true }));
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/compress/) });
  });

  it('invalid for two credential chunks', () => {
    // Prepare
    const png = withChunks(plainPng(), iTXt(OB3_PNG_KEYWORD, 'a.b.c'), iTXt(OB3_PNG_KEYWORD, 'd.e.f'));
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/more than one/) });
  });

  it('invalid for a credential in a tEXt chunk', () => {
    // Prepare
    const png = withChunks(plainPng(), tEXt(OB3_PNG_KEYWORD, 'a.b.c'));
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/iTXt/) });
  });

  it('invalid for credential text that is not UTF-8', () => {
    // Prepare
    const chunk = iTXt(OB3_PNG_KEYWORD, 'x');
    const data = Uint8Array.from([...chunk.data.subarray(0, -1), 0xc3, 0x28]);
    const png = withChunks(plainPng(), { name: 'iTXt', data });
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/UTF-8/) });
  });

  it('invalid for an empty credential chunk', () => {
    // Prepare
    const png = withChunks(plainPng(), iTXt(OB3_PNG_KEYWORD, ''));
    // Act
    const result = unbakePng(png);
    // Assess
    expect(result).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/empty/) });
  });
});

describe('bakePng refuses', () => {
  it.each([
    ['not a PNG', new TextEncoder().encode('GIF89a'), 'a.b.c'],
    ['a truncated PNG', plainPng().subarray(0, 40), 'a.b.c'],
    ['an empty payload', plainPng(), '   '],
    ['a payload with a NUL', plainPng(), '{"a":"\u0000"}'],
    ['a payload with a lone surrogate', plainPng(), '{"a":"\ud800"}'],
  ])('%s, with a BakeError', (_what, png, payload) => {
    // Prepare: the inputs above
    // Act
    const act = () => bakePng(png, payload);
    // Assess
    expect(act).toThrow(BakeError);
  });
});
