/** Object storage (S3 in AWS, s3rver locally). Buckets are named by role, not by their physical name. */
export type BucketRole = 'images' | 'drops' | 'reports';

export interface StoredBlob {
  body: Uint8Array;
  contentType: string | undefined;
  etag: string | undefined;
}

export interface Blobs {
  put(bucket: BucketRole, key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  get(bucket: BucketRole, key: string): Promise<StoredBlob | undefined>;
  /** A readable stream of the object, for files too large to hold in memory (SIS drops). */
  stream(bucket: BucketRole, key: string): Promise<AsyncIterable<Uint8Array>>;
  delete(bucket: BucketRole, key: string): Promise<void>;
  list(bucket: BucketRole, prefix: string): Promise<string[]>;
  presignPut(bucket: BucketRole, key: string, contentType: string, expiresInSeconds: number): Promise<string>;
}
