import { createServer, type Socket } from 'node:net';

/** A service inside the network, that the bot must never reach: it counts who connects, and answers nobody. */
export interface InternalServer {
  port: number;
  /** Connections made to it so far (a TLS handshake or an HTTP request each starts with one). */
  connections(): number;
  close(): Promise<void>;
}

export async function startInternalServer(): Promise<InternalServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  // Each connection is counted and closed at once, so a caller that does reach it fails fast.
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
