import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { envNames } from '#config/env';
import { contextDefaults, readConfig } from '#lib/config';
import { cdkJsonContext, type Synthesized, synthMerit } from './synth';

const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('context defaults', () => {
  it('cdk.json documents exactly the defaults lib/config.ts applies', () => {
    // Prepare
    const settings = Object.fromEntries(Object.entries(cdkJsonContext).filter(([key]) => !key.startsWith('@aws-cdk/')));

    // Act
    const defaults = { ...contextDefaults };

    // Assess
    expect(settings).toEqual(defaults);
  });

  it('needs no context at all: every value has a placeholder default', () => {
    // Act
    const config = configFrom({});

    // Assess
    expect(config.oidcIssuer).toBe('https://accounts.google.com');
    expect(config.oidcAudience).toEqual(['merit']);
    expect(config.timeZone).toBe('America/New_York');
    expect(config.publicBaseUrl).toBeUndefined();
    expect(config.bulkMaxConcurrency).toBe(20);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus_Mons' }, /timeZone/],
    [{ oidcIssuer: 'http://idp.example' }, /oidcIssuer.*https/],
    [{ publicBaseUrl: 'credentials.district.org' }, /publicBaseUrl/],
    [{ bulkMaxConcurrency: 1 }, /bulkMaxConcurrency/],
    [{ oidcAudience: ' ' }, /oidcAudience/],
    [{ logLevel: 'CHATTY' }, /logLevel/],
    [{ alertThresholds: '90,thirty' }, /alertThresholds/],
    [{ retentionYears: 0 }, /retentionYears/],
    [{ consentPolicy: 'everyone' }, /consentPolicy.*under13 or allStudents/],
  ])('refuses %o with a message naming the setting', (context, message) => {
    // Act
    const read = () => configFrom(context);

    // Assess
    expect(read).toThrow(message);
  });
});

describe('with a custom domain, retired signing keys and an admin digest', () => {
  const retiredArn = 'arn:aws:kms:us-east-1:111122223333:key/1b2c3d4e-0000-4000-8000-000000000001';
  const retiredId = '1b2c3d4e-0000-4000-8000-000000000002';
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthMerit({
      bundle: false,
      context: {
        publicBaseUrl: 'https://credentials.district.example/',
        retiredSigningKeyIds: `${retiredArn}, ${retiredId}`,
        adminDigestEmails: 'it@district.example,registrar@district.example',
      },
    });
  });

  it('lets the key readers fetch retired public keys, and nobody sign with them', () => {
    // Prepare
    const policies = JSON.stringify(synth.template.findResources('AWS::IAM::Policy'));
    const statements = Object.values(synth.template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy['Properties'].PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
    );

    // Act
    const retired = statements.filter((statement) => JSON.stringify(statement.Resource).includes('1b2c3d4e'));

    // Assess
    expect(policies).toContain(retiredArn);
    expect(policies).toContain(`:key/${retiredId}`);
    expect(retired.length).toBe(4); // api, public, bulk-issue, retention
    for (const statement of retired) expect(statement.Action).toBe('kms:GetPublicKey');
  });

  it('tells every function the retired keys, and expiry-alerts the digest recipients', () => {
    // Act
    const variables = Object.entries(synth.stack.functions.all()).map(([name, fn]) => ({
      name,
      variables: synth.template.toJSON()['Resources'][synth.logicalId(fn)].Properties.Environment.Variables as Record<string, unknown>,
    }));

    // Assess
    for (const { name, variables: env } of variables) {
      expect(JSON.stringify(env[envNames.retiredSigningKeyIds]), name).toContain(retiredArn);
      expect(env[envNames.adminDigestEmails], name).toBe(
        name === 'expiry-alerts' ? 'it@district.example,registrar@district.example' : undefined,
      );
    }
  });

  it('gives the functions PUBLIC_BASE_URL instead of the parameter name, and no SSM access', () => {
    // Act
    const environments = Object.values(synth.stack.functions.all()).map(
      (fn) => synth.template.toJSON()['Resources'][synth.logicalId(fn)].Properties.Environment.Variables as Record<string, unknown>,
    );
    const ssmReads = JSON.stringify(synth.template.findResources('AWS::IAM::Policy')).includes('ssm:GetParameter');

    // Assess
    for (const variables of environments) {
      expect(variables[envNames.publicBaseUrl]).toBe('https://credentials.district.example');
      expect(variables[envNames.publicBaseUrlParameter]).toBeUndefined();
    }
    expect(ssmReads).toBe(false);
    synth.template.hasResourceProperties('AWS::SSM::Parameter', { Value: 'https://credentials.district.example' });
  });
});
