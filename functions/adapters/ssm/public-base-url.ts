import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';

/** Longer than any execution environment lives: the parameter is read once per environment (Powertools keeps it). */
export const forTheExecutionEnvironment = { maxAge: 366 * 24 * 60 * 60 } as const;

/**
 * The deployment's public base URL: the district's custom domain when it set one, else the API's own URL, which
 * the stack publishes in an SSM parameter after deploy (an environment variable referencing the API from its own
 * functions would be a circular dependency). Powertools parameters caches it; a failed read is not cached, so the
 * next request tries again.
 */
export const publicBaseUrlResolver = (options: {
  fixed?: string;
  parameterName?: string;
  ssm: () => SSMClient;
}): (() => Promise<string>) => {
  let provider: SSMProvider | undefined;
  const trim = (url: string) => url.replace(/\/+$/, '');
  return async () => {
    if (options.fixed) return trim(options.fixed);
    if (!options.parameterName) throw new Error('Neither PUBLIC_BASE_URL nor PUBLIC_BASE_URL_PARAMETER is set.');
    provider ??= new SSMProvider({ awsSdkV3Client: options.ssm() });
    const value = await provider.get(options.parameterName, forTheExecutionEnvironment);
    if (!value) throw new Error(`SSM parameter ${options.parameterName} is empty.`);
    return trim(value);
  };
};
