import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one upstream address, standing in for the network between the bot
 * and its database: `cut()` drops every open connection and refuses new ones (the port stops listening),
 * `stall()` holds every byte, `restore()` carries them again.
 */
export interface TcpProxy {
  port: number;
  /** Connections open through the proxy now. */
  open(): number;
  cut(): Promise<void>;
  /**
   * Stops carrying bytes either way, closing nothing and refusing nothing, as a network dropping packets:
   * what either end sends meanwhile is held, and delivered on `restore()` as TCP retransmits it — unless
   * that end resets its connection, which drops what it had sent and tells the other end, once the
   * network passes again, that the connection is gone. An end that closes politely has its bytes and its
   * close delivered then. New connections are taken, and held alike.
   */
  stall(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** One direction of a connection: what is held while stalled, and how its sender ended, if it did. */
interface Direction {
  from: Socket;
  to: Socket;
  held: Buffer[];
  ended?: 'closed' | 'reset';
}

export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Direction, Direction]>();
  let stalled = false;
  let server: Server = createServer();

  /** Delivers what was held, then the sender's end. */
  const release = (direction: Direction) => {
    if (direction.ended === 'reset') {
      direction.held = [];
      if (!direction.to.destroyed) direction.to.resetAndDestroy();
      return;
    }
    for (const chunk of direction.held) direction.to.write(chunk);
    direction.held = [];
    if (direction.ended === 'closed') direction.to.end();
  };

  const onConnection = (client: Socket) => {
    const remote = connect(upstream.port, upstream.host);
    const up: Direction = { from: client, to: remote, held: [] };
    const down: Direction = { from: remote, to: client, held: [] };
    const pair: [Direction, Direction] = [up, down];
    pairs.add(pair);
    for (const direction of pair) {
      const { from, to } = direction;
      from.on('data', (chunk: Buffer) => {
        if (stalled) direction.held.push(chunk);
        else if (!to.destroyed) to.write(chunk);
      });
      from.on('end', () => {
        direction.ended ??= 'closed';
        if (!stalled) to.end();
      });
      from.on('error', () => {
        // A reset (ECONNRESET) or any other failure of this end: what it sent and is still held is lost.
        direction.ended = 'reset';
        direction.held = [];
        if (!stalled) to.destroy();
      });
      from.on('close', () => {
        if (from === client && remote.destroyed) pairs.delete(pair);
        if (from === remote && client.destroyed) pairs.delete(pair);
        if (!stalled && !to.destroyed && direction.ended !== 'closed') to.destroy();
      });
    }
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
    for (const [up] of [...pairs]) {
      up.from.destroy();
      up.to.destroy();
    }
    pairs.clear();
  };

  const port = await listenOn(0);
  return {
    port,
    open: () => [...pairs].filter(([up, down]) => !up.from.destroyed && !down.from.destroyed).length,
    async cut() {
      const closed = stopListening();
      dropAll();
      await closed;
    },
    stall() {
      stalled = true;
    },
    async restore() {
      if (stalled) {
        stalled = false;
        for (const [up, down] of [...pairs]) {
          release(up);
          release(down);
        }
      }
      if (!server.listening) await listenOn(port);
    },
    async close() {
      stalled = false;
      const closed = stopListening();
      dropAll();
      await closed;
    },
  };
}
