import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { forTheExecutionEnvironment } from '#adapters/ssm/public-base-url';

/**
 * The pepper, read from Secrets Manager the first time a learner is created or deleted (not at every cold start),
 * then kept by Powertools parameters for the life of the execution environment; a failed read is tried again on the
 * next call. Only functions granted the secret have its ARN.
 */
export const identifierPepperResolver = (options: {
  secretArn?: string;
  secretsManager: () => SecretsManagerClient;
}): (() => Promise<string>) => {
  let provider: SecretsProvider | undefined;
  return async () => {
    if (!options.secretArn) throw new Error('This function has no identifier pepper (IDENTIFIER_PEPPER_SECRET_ARN).');
    provider ??= new SecretsProvider({ awsSdkV3Client: options.secretsManager() });
    const pepper = await provider.get(options.secretArn, forTheExecutionEnvironment);
    if (typeof pepper !== 'string' || !pepper) throw new Error('The identifier pepper secret is empty.');
    return pepper;
  };
};
