/**
 * The bare library, as a yardstick: `@digitalbazaar/vc` issue() with DataIntegrityProof + eddsa-rdfc-2022 and an
 * ed25519-multikey signer, over the static document loader our issuing path uses.
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { CredentialIssuancePurpose, issue } from '@digitalbazaar/vc';
import { type JsonObject, staticDocumentLoader } from '#domain/proof/document-loader';

/** Signs credentials of `issuerDid` with a fresh key, as the bare library does it. */
export const bareIssuer = async (issuerDid: string): Promise<(credential: JsonObject) => Promise<JsonObject>> => {
  const keyPair = await Ed25519Multikey.generate({ controller: issuerDid });
  keyPair.id = `${issuerDid}#${keyPair.publicKeyMultibase}`;
  const signer = keyPair.signer();
  return (credential) =>
    issue({
      credential: structuredClone(credential),
      suite: new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022 }),
      purpose: new CredentialIssuancePurpose(),
      documentLoader: staticDocumentLoader,
    });
};

/**
 * The bare library's CPU per credential, signing `credential` (its proof removed) `iterations` times one after the
 * other: process CPU (`process.cpuUsage`, every thread) and main-thread busy time (event-loop utilisation).
 */
export const bareSigningCpu = async (
  signed: JsonObject,
  iterations: number,
  warmup = 20,
): Promise<{ cpuMs: number; mainThreadMs: number }> => {
  const { proof: _proof, ...credential } = signed;
  const issuer = credential['issuer'];
  const issuerDid = typeof issuer === 'string' ? issuer : String((issuer as JsonObject)['id']);
  const sign = await bareIssuer(issuerDid);
  for (let i = 0; i < warmup; i++) await sign(credential);
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  for (let i = 0; i < iterations; i++) await sign(credential);
  const used = process.cpuUsage(cpu);
  const busy = performance.eventLoopUtilization(elu);
  return { cpuMs: (used.user + used.system) / 1000 / iterations, mainThreadMs: busy.active / iterations };
};
