import { resolve } from 'node:path';
import { startLocalStack } from './stack';

/**
 * `npm start`: the whole of Merit on one machine, no AWS account. `npm start -- --fresh` starts from empty state.
 * State lives in `.merit/` (git-ignored; `MERIT_STATE_DIR` moves it) and survives a restart; Ctrl-C stops every
 * child process.
 */
const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const port = Number(process.env['PORT'] ?? 3000);

try {
  const stack = await startLocalStack({ port, stateDir: resolve(process.env['MERIT_STATE_DIR'] ?? '.merit'), fresh });
  const resumed =
    stack.resumedJobIds.length > 0 ? `\n  resumed:       ${stack.resumedJobIds.length} drop(s) left running by the last stop` : '';
  console.log(`Merit is running at ${stack.url}
  credentials:   ${stack.publicBaseUrl} (the public base URL, kept in the state directory across restarts; --fresh resets it)
  listening:     API ${stack.url.replace('localhost', '127.0.0.1')}, DynamoDB Local ${stack.config.dynamoEndpoint}, S3 ${stack.config.s3Endpoint} — loopback only${resumed}
  health:        ${stack.url}/health
  API document:  ${stack.url}/openapi.json
  local config:  ${stack.url}/local/config
  app:           ${stack.app.url}
${stack.app.signInLinks.map((link) => `    ${link.label}: ${link.url}`).join('\n')}
  sign in:       curl -s -X POST ${stack.url}/local/token -H 'content-type: application/json' -d '{"sub":"demo-admin","role":"admin"}'
Press Ctrl-C to stop.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Merit…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`Merit could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
