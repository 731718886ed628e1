import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one upstream address, standing in for the network between the bot
 * and its database: `cut()` drops every open connection and refuses new ones (the port stops listening),
 * `restore()` listens again on the same port.
 */
export interface TcpProxy {
  port: number;
  /** Connections open through the proxy now. */
  open(): number;
  cut(): Promise<void>;
  /** Stops carrying bytes either way, closing nothing and refusing nothing, as a network dropping packets. */
  stall(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  let server: Server = createServer();

  const onConnection = (client: Socket) => {
    const remote = connect(upstream.port, upstream.host);
    const pair: [Socket, Socket] = [client, remote];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      remote.destroy();
    };
    client.on('error', drop).on('close', drop);
    remote.on('error', drop).on('close', drop);
    if (!stalled) carry(pair);
  };
  const carry = ([client, remote]: [Socket, Socket]) => {
    client.pipe(remote);
    remote.pipe(client);
  };
  const hold = ([client, remote]: [Socket, Socket]) => {
    client.unpipe(remote);
    remote.unpipe(client);
    client.pause();
    remote.pause();
  };

  const listenOn = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer(onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const dropAll = () => {
    for (const [client, remote] of [...pairs]) {
      client.destroy();
      remote.destroy();
    }
    pairs.clear();
  };

  const port = await listenOn(0);
  return {
    port,
    open: () => pairs.size,
    async cut() {
      const closed = stopListening();
      dropAll();
      await closed;
    },
    stall() {
      stalled = true;
      for (const pair of pairs) hold(pair);
    },
    async restore() {
      if (stalled) {
        stalled = false;
        for (const pair of pairs) carry(pair);
      }
      if (!server.listening) await listenOn(port);
    },
    async close() {
      const closed = stopListening();
      dropAll();
      await closed;
    },
  };
}
