import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { identifierPepperResolver } from '#adapters/secrets/identifier-pepper';
import { publicBaseUrlResolver } from '#adapters/ssm/public-base-url';

// SSM and Secrets Manager have no local service: their clients are mocked, Powertools parameters is real.
describe('public base URL (SSM, through Powertools parameters)', () => {
  it('reads the parameter once per execution environment and trims its trailing slashes', async () => {
    // Prepare
    const ssm = mockClient(SSMClient);
    ssm
      .on(GetParameterCommand, { Name: '/merit/public-base-url' })
      .resolves({ Parameter: { Value: 'https://abc.execute-api.example.com/' } });
    const publicBaseUrl = publicBaseUrlResolver({
      parameterName: '/merit/public-base-url',
      ssm: () => new SSMClient({ region: 'us-east-1' }),
    });

    // Act
    const first = await publicBaseUrl();
    const second = await publicBaseUrl();

    // Assess
    expect([first, second]).toEqual(['https://abc.execute-api.example.com', 'https://abc.execute-api.example.com']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    ssm.restore();
  });

  it('does not keep a failed read: the next request asks again', async () => {
    // Prepare
    const ssm = mockClient(SSMClient);
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ Parameter: { Value: 'https://merit.example.org' } });
    const publicBaseUrl = publicBaseUrlResolver({
      parameterName: '/merit/public-base-url',
      ssm: () => new SSMClient({ region: 'us-east-1' }),
    });

    // Act
    const failed = await publicBaseUrl().then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    const retried = await publicBaseUrl();

    // Assess
    expect(failed).toContain('Rate exceeded');
    expect(retried).toBe('https://merit.example.org');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    ssm.restore();
  });

  it('uses the fixed domain without calling SSM, and says plainly when neither is set', async () => {
    // Prepare
    const ssm = mockClient(SSMClient);
    const client = () => new SSMClient({ region: 'us-east-1' });

    // Act
    const fixed = await publicBaseUrlResolver({ fixed: 'https://credentials.district.org//', parameterName: '/unused', ssm: client })();
    const neither = publicBaseUrlResolver({ ssm: client })();

    // Assess
    expect(fixed).toBe('https://credentials.district.org');
    await expect(neither).rejects.toThrow('Neither PUBLIC_BASE_URL nor PUBLIC_BASE_URL_PARAMETER is set.');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    ssm.restore();
  });

  it('refuses an empty parameter', async () => {
    // Prepare
    const ssm = mockClient(SSMClient);
    ssm.on(GetParameterCommand).resolves({ Parameter: {} });

    // Act
    const read = publicBaseUrlResolver({ parameterName: '/merit/public-base-url', ssm: () => new SSMClient({ region: 'us-east-1' }) })();

    // Assess
    await expect(read).rejects.toThrow('SSM parameter /merit/public-base-url is empty.');
    ssm.restore();
  });
});

describe('identifier pepper (Secrets Manager, through Powertools parameters)', () => {
  const secretArn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:pepper-AbCdEf';

  it('reads the secret on first use only, keeps it, and retries a failed read', async () => {
    // Prepare
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand, { SecretId: secretArn }).rejectsOnce(new Error('timeout')).resolves({ SecretString: 'pepper-value' });
    let clients = 0;
    const pepper = identifierPepperResolver({
      secretArn,
      secretsManager: () => {
        clients++;
        return new SecretsManagerClient({ region: 'us-east-1' });
      },
    });

    // Act
    const built = clients;
    await expect(pepper()).rejects.toThrow('timeout');
    const values = [await pepper(), await pepper()];

    // Assess
    expect(built).toBe(0);
    expect(values).toEqual(['pepper-value', 'pepper-value']);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    secrets.restore();
  });

  it('says plainly when the function has no pepper, or the secret is empty', async () => {
    // Prepare
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '' });
    const client = () => new SecretsManagerClient({ region: 'us-east-1' });

    // Act
    const none = identifierPepperResolver({ secretsManager: client })();
    const empty = identifierPepperResolver({ secretArn, secretsManager: client })();

    // Assess
    await expect(none).rejects.toThrow('This function has no identifier pepper (IDENTIFIER_PEPPER_SECRET_ARN).');
    await expect(empty).rejects.toThrow('The identifier pepper secret is empty.');
    secrets.restore();
  });
});
