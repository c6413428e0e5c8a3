import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synthMerit } from './synth';

let synth: Synthesized;

beforeAll(() => {
  synth = synthMerit({ bundle: false });
});

/** DESIGN §10 in AWS: the app's files in a private bucket, served with the API on one CloudFront origin. */
describe('the web app in the stack', () => {
  it('keeps the assets bucket private and encrypted, readable by the distribution only', () => {
    // Act
    const bucketId = synth.logicalId(synth.stack.webApp.bucket);
    const bucket = synth.template.findResources('AWS::S3::Bucket')[bucketId]!;
    const policy = Object.values(synth.template.findResources('AWS::S3::BucketPolicy')).find((candidate) =>
      JSON.stringify(candidate['Properties']['Bucket']).includes(bucketId),
    )!;

    // Assess
    expect(bucket['Properties']['PublicAccessBlockConfiguration']).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket['Properties']['BucketEncryption']['ServerSideEncryptionConfiguration'][0]['ServerSideEncryptionByDefault']['SSEAlgorithm'],
    ).toBe('AES256');
    const readers = (
      policy['Properties']['PolicyDocument']['Statement'] as Array<{
        Effect: string;
        Action: string | string[];
        Principal?: { Service?: string };
      }>
    ).filter((statement) => statement.Effect === 'Allow');
    expect(readers.map((statement) => statement.Principal?.Service)).toEqual(['cloudfront.amazonaws.com']);
  });

  it('routes /app/* to the bucket (through Origin Access Control) and everything else to the HTTP API, with the app’s CSP', () => {
    // Act
    const distributions = synth.template.findResources('AWS::CloudFront::Distribution');
    const config = Object.values(distributions)[0]!['Properties']['DistributionConfig'];

    // Assess
    expect(Object.keys(distributions)).toHaveLength(1);
    expect(config['CacheBehaviors'].map((behaviour: { PathPattern: string }) => behaviour.PathPattern)).toEqual(['/app/*']);
    expect(config['Origins'].filter((origin: { OriginAccessControlId?: unknown }) => origin.OriginAccessControlId)).toHaveLength(1);
    expect(
      config['Origins'].filter(
        (origin: { CustomOriginConfig?: { OriginProtocolPolicy: string } }) =>
          origin.CustomOriginConfig?.OriginProtocolPolicy === 'https-only',
      ),
    ).toHaveLength(1);
    const headers = JSON.stringify(
      Object.values(synth.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!['Properties'][
        'ResponseHeadersPolicyConfig'
      ]['SecurityHeadersConfig']['ContentSecurityPolicy'],
    );
    expect(headers).toMatch(/script-src 'self';.*connect-src 'self' https:\/\/.*frame-ancestors 'none'/);
    expect(headers).not.toContain('unsafe-inline');
  });
});
