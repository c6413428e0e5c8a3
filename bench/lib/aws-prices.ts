/**
 * The AWS prices the bench projects a drop's cost with: us-east-1, on-demand, no free tier, in USD. One table, each
 * price with the page it comes from and the date it was entered (this machine has no network: the figures are the
 * pages' published list prices as known on that date, not fetched at run time — check them before quoting a bill).
 */

/** What one unit of a counted request costs. */
export interface Price {
  usd: number;
  per: string;
  /** The pricing page. */
  source: string;
  /** When the price was entered here. */
  asOf: string;
}

export const awsPrices = {
  // KMS: Sign with an asymmetric ECC key (ECC_NIST_EDWARDS25519) is an "asymmetric request except RSA 2048": $0.15 per 10,000.
  kmsAsymmetricRequest: { usd: 0.15 / 10_000, per: 'Sign request', source: 'https://aws.amazon.com/kms/pricing/', asOf: '2026-12-02' },
  // DynamoDB on-demand, Standard table class (the prices of 2024-11-01): $0.625 per million WRU, $0.125 per million RRU.
  dynamoWriteRequestUnit: {
    usd: 0.625 / 1_000_000,
    per: 'write request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    asOf: '2026-12-02',
  },
  dynamoReadRequestUnit: {
    usd: 0.125 / 1_000_000,
    per: 'read request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    asOf: '2026-12-02',
  },
  // S3 Standard: PUT, COPY, POST, LIST $0.005 per 1,000; GET, SELECT and all other requests $0.0004 per 1,000 (DELETE is free).
  s3PutOrList: { usd: 0.005 / 1_000, per: 'PUT/LIST request', source: 'https://aws.amazon.com/s3/pricing/', asOf: '2026-12-02' },
  s3Get: { usd: 0.0004 / 1_000, per: 'GET/HEAD request', source: 'https://aws.amazon.com/s3/pricing/', asOf: '2026-12-02' },
  // SQS standard queue: $0.40 per million requests (each 64 KiB chunk of a request's payload is one request).
  sqsRequest: { usd: 0.4 / 1_000_000, per: 'request', source: 'https://aws.amazon.com/sqs/pricing/', asOf: '2026-12-02' },
  // Lambda, Arm (lib/functions.ts deploys arm64): $0.0000133334 per GB-second, $0.20 per million requests.
  lambdaArmGbSecond: { usd: 0.0000133334, per: 'GB-second (arm64)', source: 'https://aws.amazon.com/lambda/pricing/', asOf: '2026-12-02' },
  lambdaRequest: { usd: 0.2 / 1_000_000, per: 'invocation', source: 'https://aws.amazon.com/lambda/pricing/', asOf: '2026-12-02' },
  // EventBridge custom events on the default bus: $1.00 per million (64 KB chunks).
  eventBridgeEvent: {
    usd: 1 / 1_000_000,
    per: 'PutEvents entry',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    asOf: '2026-12-02',
  },
  // Secrets Manager API calls: $0.05 per 10,000.
  secretsManagerCall: {
    usd: 0.05 / 10_000,
    per: 'API call',
    source: 'https://aws.amazon.com/secrets-manager/pricing/',
    asOf: '2026-12-02',
  },
} satisfies Record<string, Price>;

/** The price of each counted IAM action (the local stack's call recorder names calls by it); undefined: free or not billed per call. */
export const priceOfAction: Record<string, Price | undefined> = {
  'kms:Sign': awsPrices.kmsAsymmetricRequest,
  's3:PutObject': awsPrices.s3PutOrList,
  's3:ListBucket': awsPrices.s3PutOrList,
  's3:GetObject': awsPrices.s3Get,
  's3:DeleteObject': undefined,
  'sqs:SendMessage': awsPrices.sqsRequest,
  'sqs:ReceiveMessage': awsPrices.sqsRequest,
  'sqs:DeleteMessage': awsPrices.sqsRequest,
  'events:PutEvents': awsPrices.eventBridgeEvent,
  'secretsmanager:GetSecretValue': awsPrices.secretsManagerCall,
  'kms:GetPublicKey': awsPrices.kmsAsymmetricRequest,
};
