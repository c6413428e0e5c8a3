import { describe, expect, it } from 'vitest';
import { badgePng, badgeSvg, bakePng, bakeSvg } from '#domain/baking/index';
import { presentedFromJson, presentedFromRequest } from '#domain/verify/parse';
import { iTXt, plainPng, withChunks } from '../baking/helpers';

const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer: 'did:key:z6Mk',
  name: 'Sample',
};
const request = (contentType: string | undefined, body: string | Uint8Array, json?: unknown) => ({
  ...(contentType ? { contentType } : {}),
  rawBody: typeof body === 'string' ? Buffer.from(body) : body,
  ...(json !== undefined ? { json } : {}),
});
const image = { achievementName: 'Sample', issuerName: 'Lincoln High' };

describe('reading what was presented', () => {
  it.each([
    ['a bare credential', credential],
    ['{"credential": …}', { credential }],
    ['{"verifiableCredential": …}', { verifiableCredential: credential }],
  ])('reads %s', (_name, body) => {
    // Act
    const presented = presentedFromJson(body);

    // Assess
    expect(presented).toMatchObject({ ok: true, format: 'json', credential });
  });

  it('keeps the recipient of a wrapped request, and refuses a malformed one', () => {
    // Act
    const good = presentedFromJson({ credential, recipient: { email: 'a@b.example' } });
    const bad = presentedFromJson({ credential, recipient: 'a@b.example' });

    // Assess
    expect(good).toMatchObject({ ok: true, recipient: { email: 'a@b.example' } });
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/"recipient" must be/) });
  });

  it.each([
    ['an array', [credential]],
    ['a number', 42],
    ['null', null],
  ])('refuses %s as a body', (_name, body) => {
    // Act
    const presented = presentedFromJson(body);

    // Assess
    expect(presented.ok).toBe(false);
  });

  it('refuses text/plain that is not a JWT, and a JWT whose payload is not JSON', () => {
    // Act
    const words = presentedFromRequest(request('text/plain', 'hello there'));
    const broken = presentedFromRequest(request('text/plain', 'eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln'));

    // Assess
    expect(words).toMatchObject({ ok: false, message: expect.stringMatching(/not a JSON Web Token/) });
    expect(broken).toMatchObject({ ok: false, message: expect.stringMatching(/cannot be read/) });
  });

  it('reads a credential baked into a PNG and into an SVG', () => {
    // Prepare
    const png = bakePng(badgePng(image), JSON.stringify(credential));
    const svg = bakeSvg(badgeSvg(image), { json: JSON.stringify(credential) });

    // Act
    const fromPng = presentedFromRequest(request('image/png', png));
    const fromSvg = presentedFromRequest(request('image/svg+xml', svg));

    // Assess
    expect(fromPng).toMatchObject({ ok: true, format: 'png', credential });
    expect(fromSvg).toMatchObject({ ok: true, format: 'svg', credential });
  });

  it('reads an image sent as a data: URL in JSON', () => {
    // Prepare
    const png = bakePng(badgePng(image), JSON.stringify(credential));

    // Act
    const presented = presentedFromJson({ image: `data:image/png;base64,${Buffer.from(png).toString('base64')}` });

    // Assess
    expect(presented).toMatchObject({ ok: true, format: 'png', credential });
  });

  it('says clearly that Open Badges 2.0 is not supported', () => {
    // Prepare
    const ob2 = withChunks(plainPng(), iTXt('openbadges', '{"type":"Assertion"}'));

    // Act
    const presented = presentedFromRequest(request('image/png', ob2));

    // Assess
    expect(presented).toMatchObject({ ok: false, message: expect.stringMatching(/Open Badges 2\.0 is not supported/) });
  });

  it('says a PNG without the chunk holds no credential, and garbage is not an image', () => {
    // Act
    const plain = presentedFromRequest(request('image/png', plainPng()));
    const garbage = presentedFromRequest(request('image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])));

    // Assess
    expect(plain).toMatchObject({ ok: false, message: expect.stringMatching(/no "openbadgecredential" iTXt chunk/) });
    expect(garbage).toMatchObject({ ok: false, message: expect.stringMatching(/cannot be read|neither/) });
  });

  it('refuses deeply nested JSON baked into an image without walking it', () => {
    // Prepare
    const deep = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const png = bakePng(badgePng(image), deep);

    // Act
    const presented = presentedFromRequest(request('image/png', png));

    // Assess
    expect(presented).toMatchObject({ ok: false, message: expect.stringMatching(/nested more than/) });
  });

  it('does not read other media types (the HTTP layer answers 415)', () => {
    // Act
    const presented = presentedFromRequest(request('application/pdf', 'x'));

    // Assess
    expect(presented).toBeUndefined();
  });
});
