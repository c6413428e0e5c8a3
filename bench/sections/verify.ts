/**
 * verify: our whole pipeline (parse, schema, proof, status, validity) against @digitalcredentials/verifier-core on
 * the same signed credentials, offline. verifier-core fetches its DID document, status list and schema over HTTP
 * with no injection point, so `fetch` is an in-memory web for the duration (test/fixtures/ob3/verifiers.ts). Ours
 * runs twice: as for our own issuers (keys and status bits from the store — an in-memory one here, so neither side
 * pays for I/O), and as for another district's issuer (DID document and signed status list through the KeyResolver
 * port, the list's proof checked too — the same work verifier-core does).
 */
import { randomUUID } from 'node:crypto';
import { LocalSigner } from '#adapters/signing/local-signer';
import { buildCredential } from '#domain/credential/build';
import type { Issuer } from '#domain/issuers';
import type { JsonObject } from '#domain/proof/document-loader';
import { didDocumentForIssuer } from '#domain/proof/multikey';
import { signCredential } from '#domain/proof/sign';
import type { StatusList } from '#domain/records';
import { presentedFromJson } from '#domain/verify/parse';
import type { VerifyDependencies } from '#features/verify/verify';
import { fixedClock } from '#ports/clock';
import { baseUrl, fullCredentialInput } from '../../test/fixtures/ob3/credential-input';
import {
  didWebUrl,
  inMemoryWeb,
  officialSchema,
  officialSchemaUrl,
  signedStatusList,
  type VerifierCoreResult,
  verifierCoreAccepts,
} from '../../test/fixtures/ob3/verifiers';
import { fmt, type Section, verdict } from '../lib/report';
import { percentile, sum } from '../lib/stats';

export interface VerifyOptions {
  iterations: number;
  warmup: number;
  credentials?: number;
}

type VerifyCredential = (options: { credential: unknown; knownDIDRegistries: unknown[] }) => Promise<VerifierCoreResult>;

const issuerId = 'lincoln-high';
const listId = 'list-1';

export const runVerify = async (options: VerifyOptions): Promise<Section> => {
  const title = 'verify — our verifier vs @digitalcredentials/verifier-core (offline)';
  let verifyPresented: typeof import('#features/verify/verify').verifyPresented;
  try {
    ({ verifyPresented } = await import('#features/verify/verify'));
    if (typeof verifyPresented !== 'function') throw new Error('no verifyPresented export');
  } catch (error) {
    return {
      name: 'verify',
      title,
      status: 'skipped',
      note: `verify: skipped — verifier not available (${(error as Error).message})`,
      rows: [],
      notes: [],
    };
  }
  const section: Section = { name: 'verify', title, status: 'ran', rows: [], notes: [], details: {} };

  // Prepare: distinct signed credentials of one issuer, its DID document, its signed status list, the schema.
  const signer = LocalSigner.generate();
  const count = options.credentials ?? 20;
  const listUrl = `${baseUrl}/status/${listId}`;
  const credentials: JsonObject[] = [];
  let issuerDid = '';
  for (let i = 0; i < count; i++) {
    const unsigned = buildCredential(
      fullCredentialInput(issuerId, { credentialId: `urn:uuid:${randomUUID()}`, credentialStatus: { listUrl, index: 1000 + i * 37 } }),
    );
    issuerDid = unsigned.issuer.id;
    credentials.push((await signCredential(unsigned, signer, { issuerDid })) as unknown as JsonObject);
  }
  const didDocument = didDocumentForIssuer({
    did: issuerDid,
    keys: [{ keyId: signer.keyId, publicKey: await signer.publicKey() }],
  }) as unknown as JsonObject;
  const statusListCredential = (await signedStatusList({ url: listUrl, issuerDid, signer })) as unknown as JsonObject;

  const clock = fixedClock('2026-06-01T12:00:00Z');
  const issuer = { id: issuerId, name: 'Lincoln High School', createdAt: '2025-01-01T00:00:00Z' } as Issuer;
  const list: StatusList = { listId, issuerId, bits: new Uint8Array(131_072 / 8), version: 1 };
  const own: VerifyDependencies = {
    clock,
    publicBaseUrl: async () => baseUrl,
    verificationKeys: [signer],
    store: {
      issuers: { get: async (id) => (id === issuerId ? issuer : undefined) },
      statusLists: { get: async (id) => (id === listId ? list : undefined) },
    },
  };
  const foreign: VerifyDependencies = {
    clock,
    publicBaseUrl: async () => 'https://credentials.another-district.example',
    verificationKeys: [LocalSigner.generate()],
    store: { issuers: { get: async () => undefined }, statusLists: { get: async () => undefined } },
    keyResolver: {
      resolveController: async (id) => (id === issuerDid ? structuredClone(didDocument) : undefined),
      resolveStatus: async (url) => (url === listUrl ? structuredClone(statusListCredential) : undefined),
    },
  };

  const web = inMemoryWeb(
    new Map<string, unknown>([
      [didWebUrl(issuerDid), didDocument],
      [officialSchemaUrl, officialSchema()],
      [listUrl, statusListCredential],
    ]),
  );
  const realFetch = globalThis.fetch;
  globalThis.fetch = web.fetch as typeof fetch;
  try {
    const { verifyCredential: verifierCore } = (await import('@digitalcredentials/verifier-core')) as unknown as {
      verifyCredential: VerifyCredential;
    };

    const paths = {
      ownIssuer: async (credential: JsonObject) => (await verifyPresented(own, presentedFromJson(structuredClone(credential)))).verified,
      otherIssuer: async (credential: JsonObject) =>
        (await verifyPresented(foreign, presentedFromJson(structuredClone(credential)))).verified,
      verifierCore: async (credential: JsonObject) =>
        verifierCoreAccepts(await verifierCore({ credential: structuredClone(credential), knownDIDRegistries: [] })),
    };
    type PathName = keyof typeof paths;
    // Sanity: every path accepts every credential, and verifier-core asked only for what the web serves.
    for (const [name, verifyOne] of Object.entries(paths)) {
      for (const credential of credentials)
        if (!(await verifyOne(credential))) throw new Error(`verify: ${name} refused a valid credential`);
    }
    if (web.misses.length > 0)
      throw new Error(`verify: verifier-core asked for documents outside the in-memory web: ${web.misses.join(', ')}`);

    for (let i = 0; i < options.warmup; i++) for (const verifyOne of Object.values(paths)) await verifyOne(credentials[i % count]!);
    const samples: Record<PathName, number[]> = { ownIssuer: [], otherIssuer: [], verifierCore: [] };
    const round = 10;
    for (let done = 0; done < options.iterations; done += round) {
      for (const name of Object.keys(paths) as PathName[]) {
        for (let i = done; i < Math.min(done + round, options.iterations); i++) {
          const started = performance.now();
          await paths[name](credentials[i % count]!);
          samples[name].push(performance.now() - started);
        }
      }
    }

    const p50 = (name: PathName) => percentile(samples[name], 50);
    const p99 = (name: PathName) => percentile(samples[name], 99);
    const rate = (name: PathName) => (samples[name].length * 1000) / sum(samples[name]);
    const labels: Record<PathName, string> = {
      ownIssuer: 'ours, own issuer (store)',
      otherIssuer: 'ours, other issuer (resolver)',
      verifierCore: 'verifier-core 1.0.0-beta.11',
    };
    for (const name of Object.keys(paths) as PathName[]) {
      section.rows.push({
        metric: `${labels[name]} p50 / p99`,
        value: `${fmt(p50(name), 2)} / ${fmt(p99(name), 2)} ms · ${fmt(rate(name))} verif/s`,
        raw: p50(name),
        verdict: 'no budget',
      });
    }
    for (const name of ['ownIssuer', 'otherIssuer'] as const) {
      const ratio = p50(name) / p50('verifierCore');
      section.rows.push({
        metric: `p50 ratio ${labels[name].replace('ours, ', '')} / verifier-core`,
        value: `${fmt(ratio, 2)}×`,
        raw: ratio,
        budget: '≤ 0.33× (1/3)',
        verdict: verdict(ratio <= 1 / 3),
      });
    }
    section.details = {
      samples: Object.fromEntries(
        Object.entries(samples).map(([name, values]) => [
          name,
          { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), perSecond: rate(name as PathName) },
        ]),
      ),
    };
    section.notes.push(
      `${options.iterations} verifications per path over ${count} distinct credentials after ${options.warmup} warm-up, sequential, interleaved in rounds of ${round}; every path accepted every credential first.`,
      'Ours = parse → schema (official OB 3.0 JSON schema) → proof → status → validity; verifier-core = signature, expiry, status list, schema (its own fetches answered from memory).',
    );
  } finally {
    globalThis.fetch = realFetch;
  }
  const { runHostileVerify } = await import('./verify-hostile');
  const hostile = await runHostileVerify({ iterations: Math.min(options.iterations, 100), repeats: 5 });
  section.rows.push(...hostile.rows);
  section.notes.push(...hostile.notes);
  section.details = { ...section.details, hostile: hostile.details };
  return section;
};
