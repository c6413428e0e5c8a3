/**
 * A token bucket in front of a Signer, standing in for the KMS Sign quota: at most `ratePerSecond` signatures per
 * second on average, bursts of at most `burst`. Counts calls and the time callers waited for a token.
 */
import type { Signer } from '#ports/signer';

export interface RateLimitedSigner extends Signer {
  readonly calls: number;
  readonly waitedMs: number;
}

export const rateLimitedSigner = (
  signer: Signer,
  ratePerSecond: number,
  burst = Math.max(1, Math.round(ratePerSecond / 10)),
): RateLimitedSigner => {
  const intervalMs = 1000 / ratePerSecond;
  // GCRA: the theoretical arrival time of the next token; a caller may go when now ≥ tat − burst·interval.
  let tat = performance.now();
  let calls = 0;
  let waitedMs = 0;
  const acquire = async () => {
    const now = performance.now();
    tat = Math.max(tat, now) + intervalMs;
    const allowedAt = tat - burst * intervalMs;
    if (allowedAt > now) {
      waitedMs += allowedAt - now;
      await new Promise((resolve) => setTimeout(resolve, allowedAt - now));
    }
  };
  return {
    keyId: signer.keyId,
    get calls() {
      return calls;
    },
    get waitedMs() {
      return waitedMs;
    },
    async sign(message) {
      await acquire();
      calls++;
      return signer.sign(message);
    },
    publicKey: () => signer.publicKey(),
  };
};
