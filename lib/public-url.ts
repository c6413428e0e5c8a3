import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface PublicUrlProps {
  /** Fixed name of the parameter, e.g. `/merit/Merit/public-base-url`; the functions get this name up front. */
  parameterName: string;
  /** The URL to publish: the district's custom domain when set, else the API's own URL. */
  url: string;
}

/**
 * The deployment's public base URL (DESIGN §2), published in an SSM String parameter after the API exists.
 *
 * Why a parameter: an environment variable holding the API's URL would make each function depend on the API,
 * which already depends on the functions (its integrations): a circular dependency in CloudFormation. So the
 * functions get the parameter's *name* (a plain string known before deploy) in `PUBLIC_BASE_URL_PARAMETER` and
 * read its value at run time; their IAM policies reference the name too, never this resource, so no cycle forms.
 * When the district sets `publicBaseUrl`, the functions get it directly in `PUBLIC_BASE_URL` and this parameter
 * simply records it.
 */
export class PublicUrl extends Construct {
  readonly parameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: PublicUrlProps) {
    super(scope, id);
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: props.parameterName,
      stringValue: props.url,
      description: 'Merit: the public base URL that credentials, DID documents and share links are built on',
      tier: ssm.ParameterTier.STANDARD,
    });
  }
}
