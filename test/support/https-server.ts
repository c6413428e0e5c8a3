/**
 * HTTPS servers on loopback for the guarded fetcher's tests, with the test certificate (test/fixtures/tls). Each
 * counts the TCP connections it accepted and the bytes it wrote, so a test can show that a refused fetch never
 * connected and that a cut body stopped the server writing.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));

/** The trust root a test's fetcher is given (the certificate is its own root). */
export const testCa = fixture('cert.pem');

export interface TestServer {
  port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Bytes written to every socket so far (headers, TLS records and body). */
  bytesWritten(): number;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const start = async (server: Server | ReturnType<typeof createHttpServer>): Promise<TestServer> => {
  const sockets = new Set<Socket>();
  let connections = 0;
  let written = 0;
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => {
      written += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    bytesWritten: () => written + [...sockets].reduce((sum, socket) => sum + socket.bytesWritten, 0),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** An HTTPS server on 127.0.0.1 with the test certificate. */
export const startHttpsServer = (handler: Handler): Promise<TestServer> =>
  start(createServer({ key: fixture('key.pem'), cert: testCa }, handler));

/** A plain-HTTP server on 127.0.0.1 (an "internal listener" a redirect might point at). */
export const startHttpServer = (handler: Handler): Promise<TestServer> => start(createHttpServer(handler));
