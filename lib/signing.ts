import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface SigningProps {
  /** Alias of the key, e.g. `alias/merit-signing`. */
  aliasName: string;
  /** Retired signing keys (ARNs, or key ids in this account and region), still published in DID documents. */
  retiredKeyIds?: readonly string[];
}

/**
 * The credential signing key (DESIGN §2): an asymmetric KMS key, `ECC_NIST_EDWARDS25519`, used with
 * `SigningAlgorithm: ED25519_SHA_512` and `MessageType: RAW` to make plain Ed25519 signatures for
 * `eddsa-rdfc-2022` proofs. The private key never leaves KMS.
 *
 * KMS cannot rotate asymmetric keys automatically; rotation is a new key plus the old one kept listed in the DID
 * documents (README, "Key rotation"). The key is RETAINed: deleting it would break every credential it signed.
 *
 * Grants are per function and on this key only: `grantSign` (issuing: kms:Sign + kms:GetPublicKey) and
 * `grantGetPublicKey` (DID documents, verification).
 */
export class Signing extends Construct {
  readonly key: kms.Key;
  readonly alias: kms.Alias;
  /** ARNs of retired keys: GetPublicKey only, never Sign. */
  readonly retiredKeyArns: string[];

  constructor(scope: Construct, id: string, props: SigningProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Merit: Ed25519 key that signs Open Badges 3.0 credentials and status lists',
      keySpec: kms.KeySpec.ECC_NIST_EDWARDS25519,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alias = this.key.addAlias(props.aliasName);
    const stack = Stack.of(this);
    this.retiredKeyArns = (props.retiredKeyIds ?? []).map((id) =>
      id.startsWith('arn:') ? id : stack.formatArn({ service: 'kms', resource: 'key', resourceName: id }),
    );
  }

  /**
   * kms:Sign and kms:GetPublicKey on the current key only (plus GetPublicKey on retired keys): for the functions
   * that issue or re-sign credentials.
   */
  grantSign(grantee: iam.IGrantable): void {
    this.key.grant(grantee, 'kms:Sign', 'kms:GetPublicKey');
    this.grantRetiredPublicKeys(grantee);
  }

  /** kms:GetPublicKey on the current and retired keys: for functions that publish DID documents but never sign. */
  grantGetPublicKey(grantee: iam.IGrantable): void {
    this.key.grant(grantee, 'kms:GetPublicKey');
    this.grantRetiredPublicKeys(grantee);
  }

  private grantRetiredPublicKeys(grantee: iam.IGrantable): void {
    if (this.retiredKeyArns.length === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: this.retiredKeyArns }));
  }
}
