import { App, type PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#http/routes';
import { type Synthesized, synthMerit } from './synth';

// The gate of DESIGN §8: the AwsSolutions pack finds nothing unacknowledged in the stack `npx cdk synth` builds
// (cdk.json context as is). cdk-nag 3 is a CDK policy-validation plugin; bin/merit.ts registers it with
// `Validations.of(app).addPlugins(...)`, which calls the same `validateScope` on the whole app at synth time.

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

/** Every `Validations.of(x).acknowledge(...)` in the construct tree. */
const acknowledgementsIn = (root: IConstruct): Acknowledgement[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

const describeViolations = (report: PolicyValidationPluginReport): string[] =>
  report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`),
  );

let synth: Synthesized;
let report: PolicyValidationPluginReport;
let acknowledgements: Acknowledgement[];

beforeAll(() => {
  synth = synthMerit({ bundle: false });
  report = new AwsSolutionsChecks(synth.app, { verbose: true }).validateScope(synth.app);
  acknowledgements = acknowledgementsIn(synth.app);
});

describe('cdk-nag AwsSolutions gate', () => {
  it('reports zero unacknowledged findings, errors or warnings', () => {
    // Prepare: synthesized in beforeAll with the defaults of cdk.json.

    // Act
    const findings = describeViolations(report);

    // Assess
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('is not vacuous: the same pack flags a bucket that allows plain HTTP and has no access logs', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Careless');
    new s3.Bucket(stack, 'Careless', { enforceSSL: false });

    // Act
    const careless = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    expect(careless.success).toBe(false);
    expect(careless.violations.map((violation) => violation.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
  });

  it('acknowledges only the expected rules, each by its exact id and with a reason', () => {
    // Prepare
    const allowed: Record<string, string> = {
      'AwsSolutions-S1': 'the access log bucket does not log into itself',
      'AwsSolutions-L1': 'nodejs22.x is pinned by DESIGN §9',
      'AwsSolutions-APIG4': 'public routes of DESIGN §3',
      'AwsSolutions-SQS3': 'the schedules dead-letter queue',
      'AwsSolutions-SMG4': 'the identifier pepper must never rotate',
      'AwsSolutions-IAM4': "CDK's bucket-notifications helper role",
      'AwsSolutions-IAM5': 'S3 object ARN patterns',
      'AwsSolutions-CFR1': 'the web app distribution: no geographic restriction for a district',
      'AwsSolutions-CFR2': 'the web app distribution: WAF is a district choice',
      'AwsSolutions-CFR4': 'the web app distribution: default certificate until a custom domain',
    };

    // Act
    const rules = new Set(acknowledgements.map((ack) => ack.id.replace(/\[.*\]$/, '')));

    // Assess
    expect([...rules].filter((rule) => !(rule in allowed))).toEqual([]);
    for (const ack of acknowledgements) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    }
    // IAM findings are acknowledged one finding at a time, never a whole rule.
    for (const ack of acknowledgements.filter((candidate) => candidate.id.startsWith('AwsSolutions-IAM'))) {
      expect(ack.id, ack.path).toMatch(/\[(Resource|Policy)::.+\]$/);
      expect(ack.id, ack.path).not.toBe('AwsSolutions-IAM5[Resource::*]');
    }
  });

  it('exempts from authorization (APIG4) exactly the public routes of the route table', () => {
    // Prepare
    const publicOperations = routes.filter((route) => route.access === 'public').map((route) => route.operationId);

    // Act
    const exempted = acknowledgements.filter((ack) => ack.id === 'AwsSolutions-APIG4').map((ack) => ack.path.replace(/^.*\/Route-/, ''));

    // Assess
    expect(exempted.sort()).toEqual([...publicOperations].sort());
  });
});
