/**
 * verify, hostile: the inputs of issue 13 (and the caps' edges) sent to `POST /verify` of the real public handler in
 * process (test/support/public-verifier.ts: the in-memory deployment, the real HTTPS key resolver over the guarded
 * fetcher, a resolver spy that answers every name with an internal address). Prints the worst hostile input's time
 * next to a valid credential's p50 through the same handler, and the outbound connections the hostile inputs caused.
 */
import { isPublicUnicast } from '#adapters/key-resolution/address-policy';
import { LocalSigner } from '#adapters/signing/local-signer';
import { signDocument } from '#domain/proof/sign';
import type { JsonObject } from '#domain/verify/types';
import { startPublicVerifier } from '../../test/support/public-verifier';
import { fmt, fmtInt, type Row, verdict } from '../lib/report';
import { median, percentile } from '../lib/stats';

export const runHostileVerify = async (options: {
  iterations: number;
  repeats: number;
}): Promise<{ rows: Row[]; notes: string[]; details: Record<string, unknown> }> => {
  const verifier = startPublicVerifier();
  const signer = LocalSigner.generate();
  const did = `did:key:${signer.keyId}`;
  const sign = (document: JsonObject) => signDocument(document, signer, { verificationMethod: `${did}#${signer.keyId}` });
  const valid = await verifier.deployment.issue();
  const { credentialStatus: _status, proof: _proof, ...unsigned } = valid;
  const base = { ...unsigned, issuer: { id: did, type: ['Profile'], name: 'Key Issuer' } } as JsonObject;
  const signed = await sign(base);
  const subject = base['credentialSubject'] as JsonObject;
  const withAlignments = (count: number) => ({
    ...subject,
    achievement: {
      ...(subject['achievement'] as JsonObject),
      alignment: Array.from({ length: count }, (_, i) => ({ type: 'Alignment', targetName: `S${i}`, targetUrl: `https://s.x/${i}` })),
    },
  });
  const statusAt = (urls: string[]) =>
    urls.map((url) => ({
      id: `${url}#5`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '5',
      statusListCredential: url,
    }));
  // Within the caps but as heavy as they allow: ~1,900 values, signed for real, with 10 proofs (co-signed copies).
  const atCap = await sign({ ...base, credentialSubject: withAlignments(430) });

  const hostile: Array<[string, unknown]> = [
    ['26,000 alignments (1.9 MB)', { ...signed, credentialSubject: withAlignments(26_000) }],
    ['5,000 copies of one proof', { ...signed, proof: Array.from({ length: 5_000 }, () => signed.proof[0]) }],
    [
      '2,000 status entries',
      { ...signed, credentialStatus: statusAt(Array.from({ length: 2_000 }, (_, i) => `https://lists${i}.example/s`)) },
    ],
    ['at the caps: ~1,900 values × 10 proofs', { ...atCap, proof: Array.from({ length: 10 }, () => atCap.proof[0]) }],
    ['did:web issuer at 169.254.169.254', { ...signed, issuer: { id: 'did:web:169.254.169.254', type: ['Profile'], name: 'x' } }],
    ['did:web issuer at 2130706433 (127.0.0.1)', { ...signed, issuer: { id: 'did:web:2130706433', type: ['Profile'], name: 'x' } }],
    ['https issuer resolving to 10.x', { ...signed, issuer: { id: 'https://issuer.internal.example/org', type: ['Profile'], name: 'x' } }],
    [
      '3 status lists at internal addresses',
      await sign({
        ...base,
        credentialStatus: statusAt(['https://169.254.169.254/latest', 'https://0x7f000001/list', 'https://lists.corp.example/1']),
      }),
    ],
    [
      'nested 64 deep',
      (() => {
        let value: unknown = 'leaf';
        for (let i = 0; i < 60; i++) value = { v: value };
        return { ...signed, evidence: value };
      })(),
    ],
  ];

  const time = async (body: string) => {
    const started = performance.now();
    const { status, json } = await verifier.post('/verify', body);
    return { ms: performance.now() - started, status, verified: json['verified'] === true };
  };

  const validBody = JSON.stringify(valid);
  for (let i = 0; i < 10; i++) await time(validBody);
  const validSamples: number[] = [];
  for (let i = 0; i < options.iterations; i++) validSamples.push((await time(validBody)).ms);
  const validP50 = percentile(validSamples, 50);

  const results: Array<{ name: string; medianMs: number; maxMs: number; statuses: number[]; verified: boolean }> = [];
  for (const [name, document] of hostile) {
    const body = JSON.stringify(document);
    const samples: Array<Awaited<ReturnType<typeof time>>> = [];
    for (let i = 0; i < options.repeats; i++) samples.push(await time(body));
    results.push({
      name,
      medianMs: median(samples.map((s) => s.ms)),
      maxMs: Math.max(...samples.map((s) => s.ms)),
      statuses: [...new Set(samples.map((s) => s.status))],
      verified: samples.some((s) => s.verified),
    });
  }
  const worst = results.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  const nonPublic = verifier.connections.filter((target) => !isPublicUnicast(target.address));
  const failures = results.filter((result) => result.verified || result.statuses.some((status) => status >= 500));

  const rows: Row[] = [
    { metric: 'hostile: valid credential p50 (same handler)', value: `${fmt(validP50, 2)} ms`, raw: validP50, verdict: 'no budget' },
    {
      metric: `hostile: worst input median — ${worst.name}`,
      value: `${fmt(worst.medianMs, 1)} ms (max ${fmt(worst.maxMs, 1)})`,
      raw: worst.medianMs,
      budget: '< 1,000 ms',
      verdict: verdict(worst.maxMs < 1000),
    },
    {
      metric: 'hostile: worst / valid p50',
      value: `${fmt(worst.medianMs / validP50, 1)}×`,
      raw: worst.medianMs / validP50,
      verdict: 'no budget',
    },
    {
      metric: 'hostile: outbound connections (all inputs)',
      value: fmtInt(verifier.connections.length),
      raw: verifier.connections.length,
      verdict: 'no budget',
    },
    {
      metric: 'hostile: connections to non-public addresses',
      value: fmtInt(nonPublic.length),
      raw: nonPublic.length,
      budget: '0',
      verdict: verdict(nonPublic.length === 0),
    },
    {
      metric: 'hostile: name lookups (each answered with an internal address, refused)',
      value: fmtInt(verifier.lookups.length),
      raw: verifier.lookups.length,
      verdict: 'no budget',
    },
    {
      metric: 'hostile: answers verified or 5xx',
      value: fmtInt(failures.length),
      raw: failures.length,
      budget: '0',
      verdict: verdict(failures.length === 0),
    },
  ];
  return {
    rows,
    notes: [
      `Hostile inputs through the public handler in process, ${options.repeats} runs each (median and max); the valid credential ${options.iterations} runs after 10 warm-up. Every name resolves (spy) to an internal address; connections are the fetcher's own record of sockets it opened.`,
      ...results.map(
        (result) =>
          `  ${result.name}: median ${fmt(result.medianMs, 1)} ms, max ${fmt(result.maxMs, 1)} ms, HTTP ${result.statuses.join('/')}`,
      ),
    ],
    details: {
      hostile: results,
      validP50,
      connections: verifier.connections.length,
      nonPublic: nonPublic.length,
      lookups: verifier.lookups.length,
    },
  };
};
