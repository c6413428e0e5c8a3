import { LocalSigner } from '#adapters/signing/local-signer';
import type { Signer } from '#ports/signer';

/**
 * A test vector's signer, recording the bytes the cryptosuite hands it and the signature it returns.
 * `privateHex` is the vector's "Private": the 64-byte RFC 8032 secret key (32-byte seed ‖ 32-byte public key).
 */
export const recordingVectorSigner = (privateHex: string) => {
  const inner = LocalSigner.fromSeed(Buffer.from(privateHex, 'hex').subarray(0, 32));
  const calls: Array<{ message: Uint8Array; signature: Uint8Array }> = [];
  const signer: Signer = {
    keyId: inner.keyId,
    publicKey: () => inner.publicKey(),
    sign: async (message) => {
      const signature = await inner.sign(message);
      calls.push({ message, signature });
      return signature;
    },
  };
  return { signer, calls, inner };
};
