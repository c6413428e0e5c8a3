/**
 * Test helpers for baking: PNGs made by an independent encoder (pngjs), chunk surgery with png-chunks-extract /
 * png-chunks-encode, and text chunks laid out by hand (so the layout of the code under test is checked, not reused).
 */
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import { PNG } from 'pngjs';

export type Chunk = { name: string; data: Uint8Array };

export const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/baking/${name}`, import.meta.url), 'utf8');

/** A small RGBA PNG written by pngjs, with a recognisable pixel pattern. */
export function plainPng(width = 6, height = 4): Uint8Array {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([(i * 37) % 256, (i * 91) % 256, (i * 13) % 256, 255], i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

export const decodePixels = (bytes: Uint8Array): { width: number; height: number; data: Buffer } =>
  PNG.sync.read(Buffer.from(bytes), { checkCRC: true });

export const chunksOf = (png: Uint8Array): Chunk[] => extractChunks(png);

const latin1 = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
const utf8 = (text: string): number[] => Array.from(new TextEncoder().encode(text));

export const tEXt = (keyword: string, text: string): Chunk => ({
  name: 'tEXt',
  data: Uint8Array.from([...latin1(keyword), 0, ...latin1(text)]),
});

export const iTXt = (keyword: string, text: string, options: { compressed?: boolean; language?: string } = {}): Chunk => ({
  name: 'iTXt',
  data: Uint8Array.from([
    ...latin1(keyword),
    0,
    options.compressed ? 1 : 0,
    0,
    ...latin1(options.language ?? ''),
    0,
    0,
    ...(options.compressed ? Array.from(deflateSync(Buffer.from(text, 'utf8'))) : utf8(text)),
  ]),
});

/** The PNG with `extra` chunks inserted just before IEND. */
export function withChunks(png: Uint8Array, ...extra: Chunk[]): Uint8Array {
  const chunks = chunksOf(png);
  return encodeChunks([...chunks.slice(0, -1), ...extra, chunks.at(-1)!]);
}

export const keywordOf = (chunk: Chunk): string => {
  const nul = chunk.data.indexOf(0);
  return String.fromCharCode(...chunk.data.subarray(0, nul < 0 ? chunk.data.length : nul));
};

export const credentialJson = (name = 'José Núñez'): string =>
  JSON.stringify({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:8f1c7d0e-4b4e-4f6a-9a51-3f3b1f0f8a11',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: 'https://merit.example.org/issuers/lincoln', type: ['Profile'], name: 'Lincoln High School' },
    validFrom: '2025-06-01T00:00:00Z',
    name: 'Reading Champion — ½ marathon of books 📚',
    credentialSubject: { type: ['AchievementSubject'], identifier: [{ identityHash: name }] },
  });

export const SAMPLE_JWT = 'eyJhbGciOiJFUzI1NiIsInR5cCI6InZjK2p3dCJ9.eyJpc3MiOiJodHRwczovL21lcml0LmV4YW1wbGUub3JnIn0.c2lnbmF0dXJlLWJ5dGVz';
