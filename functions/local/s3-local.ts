import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { freePort } from './ports';

export interface RunningS3 {
  endpoint: string;
  server: S3rver;
  stop(): Promise<void>;
}

/** Starts s3rver on a free loopback port with the given buckets; its put events drive the bulk pipeline. */
export const startS3Local = async (options: { directory: string; buckets: string[]; port?: number }): Promise<RunningS3> => {
  mkdirSync(options.directory, { recursive: true });
  const port = options.port ?? (await freePort());
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
    vhostBuckets: false,
  });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, server, stop: () => server.close() };
};
