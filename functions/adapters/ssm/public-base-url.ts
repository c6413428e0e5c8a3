import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

/**
 * The deployment's public base URL: the district's custom domain when it set one, else the API's own URL, which
 * the stack publishes in an SSM parameter after deploy (an environment variable referencing the API from its own
 * functions would be a circular dependency). Read once per execution environment.
 */
export const publicBaseUrlResolver = (options: { fixed?: string; parameterName?: string; ssm: () => SSMClient }): (() => Promise<string>) => {
  let cached: Promise<string> | undefined;
  const trim = (url: string) => url.replace(/\/+$/, '');
  return () => {
    if (options.fixed) return Promise.resolve(trim(options.fixed));
    if (!options.parameterName) return Promise.reject(new Error('Neither PUBLIC_BASE_URL nor PUBLIC_BASE_URL_PARAMETER is set.'));
    cached ??= options
      .ssm()
      .send(new GetParameterCommand({ Name: options.parameterName }))
      .then((answer) => {
        const value = answer.Parameter?.Value;
        if (!value) throw new Error(`SSM parameter ${options.parameterName} is empty.`);
        return trim(value);
      })
      .catch((error: unknown) => {
        cached = undefined; // try again on the next request rather than caching a failure
        throw error;
      });
    return cached;
  };
};
