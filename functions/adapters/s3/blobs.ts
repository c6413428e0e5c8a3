import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Blobs, BucketRole } from '#ports/blobs';

export interface S3Connection {
  region?: string;
  /** Set for s3rver; absent in AWS. */
  endpoint?: string;
}

export const createS3Client = (connection: S3Connection = {}): S3Client =>
  new S3Client({
    ...(connection.region ? { region: connection.region } : {}),
    ...(connection.endpoint
      ? { endpoint: connection.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
      : {}),
  });

const isMissing = (error: unknown): boolean => error instanceof NoSuchKey || (error as { name?: string } | undefined)?.name === 'NoSuchKey';

/** The Blobs port over S3. Bucket names are resolved by role, so code never hard-codes one. */
export const createS3Blobs = (client: S3Client, buckets: Record<BucketRole, string>): Blobs => ({
  async put(bucket, key, body, contentType) {
    await client.send(new PutObjectCommand({ Bucket: buckets[bucket], Key: key, Body: body, ContentType: contentType }));
  },

  async get(bucket, key) {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: buckets[bucket], Key: key }));
      if (!object.Body) return undefined;
      return { body: await object.Body.transformToByteArray(), contentType: object.ContentType, etag: object.ETag };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },

  async stream(bucket, key) {
    const object = await client.send(new GetObjectCommand({ Bucket: buckets[bucket], Key: key }));
    return object.Body as AsyncIterable<Uint8Array>;
  },

  async delete(bucket, key) {
    await client.send(new DeleteObjectCommand({ Bucket: buckets[bucket], Key: key }));
  },

  async list(bucket, prefix) {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: buckets[bucket], Prefix: prefix, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  },

  presignPut: (bucket, key, contentType, expiresInSeconds) =>
    getSignedUrl(client, new PutObjectCommand({ Bucket: buckets[bucket], Key: key, ContentType: contentType }), {
      expiresIn: expiresInSeconds,
    }),
});
