import { connect, Socket } from 'node:net';

/** What postgres.js passes its `socket` option: its parsed options (hosts and ports are lists). */
export interface DriverSocketOptions {
  host: string[];
  port: number[];
  path?: string | false;
}

export interface AnswerDeadlines {
  /** postgres.js's `socket` option: a TCP (or Unix) connection watched for answers that do not come. */
  socket: (options: DriverSocketOptions) => Socket;
  /** Whether a connection has waited for an answer half its deadline or more: the server may be out of reach. */
  stalled(): boolean;
  /** Connections ended so far because their answer did not come in time. */
  readonly ended: number;
  /**
   * Ends at once every connection still open (a reset: nothing it holds is sent later), and refuses any
   * the driver opens from now on (it reconnects for a query it had started).
   */
  closeAll(): void;
}

// Frontend messages that the server answers with ReadyForQuery ('Z'), and the one it answers at once.
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const FLUSH = 0x48; // 'H'
const READY_FOR_QUERY = 0x5a; // 'Z'
// The untyped first message: a startup (protocol 3.0), or a request for SSL or GSS encryption, after which
// the traffic is encrypted and this watch cannot read it.
const PROTOCOL_3 = 196_608;

/**
 * Splits a stream of PostgreSQL protocol messages (a type byte and a length counting itself), calling
 * `seen` with each message's type as soon as its header has arrived.
 */
function messageTypes(seen: (type: number) => void): (chunk: Buffer) => void {
  const header = Buffer.alloc(5);
  let headerHave = 0;
  let bodyLeft = 0;
  return (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      if (bodyLeft > 0) {
        const skip = Math.min(bodyLeft, chunk.length - at);
        bodyLeft -= skip;
        at += skip;
        continue;
      }
      const take = Math.min(5 - headerHave, chunk.length - at);
      chunk.copy(header, headerHave, at, at + take);
      headerHave += take;
      at += take;
      if (headerHave < 5) return;
      headerHave = 0;
      bodyLeft = Math.max(0, header.readUInt32BE(1) - 4);
      seen(header[0]!);
    }
  };
}

/**
 * A deadline on every answer the server owes, per connection: once a query (or a transaction's next
 * statement, or a new connection's startup) has been sent, the server must send something within
 * `answerMs`, and keep sending until it says it is ready again. A connection that stays silent that long
 * is reset — not closed politely: a close would still deliver what the network holds (a COMMIT) once it
 * passes again, while a reset throws it away — so the statement fails with CONNECTION_CLOSED, the
 * transaction with it, and the server rolls it back as soon as it hears of the reset. The deadline counts
 * the server's silence, not a statement's whole time: a statement that streams its rows, and a
 * transaction of many statements, run as long as they need.
 *
 * The watch reads the protocol in clear: a connection that negotiates SSL or GSS encryption is not
 * watched (TCP keepalive and the connect timeout still bound it).
 */
export function answerDeadlines(answerMs: number): AnswerDeadlines {
  const open = new Set<Watched>();
  let next = 0;
  let ended = 0;
  let closed = false;

  interface Watched {
    socket: Socket;
    /** Answers the server owes (ReadyForQuery after a Sync or a Query). */
    owed: number;
    /** A Flush was sent: the server owes at least one message. */
    flushed: boolean;
    /** Encrypted: not read. */
    opaque: boolean;
    /** When the server last sent something, or the wait began. */
    heardAt: number;
    timer: NodeJS.Timeout | undefined;
  }

  const waiting = (watched: Watched) => !watched.opaque && (watched.owed > 0 || watched.flushed);

  const check = (watched: Watched) => {
    watched.timer = undefined;
    if (!waiting(watched) || watched.socket.destroyed) return;
    const silent = Date.now() - watched.heardAt;
    if (silent < answerMs) {
      watched.timer = setTimeout(() => check(watched), answerMs - silent).unref();
      return;
    }
    ended++;
    reset(watched.socket);
  };

  const watch = (socket: Socket) => {
    const watched: Watched = { socket, owed: 0, flushed: false, opaque: false, heardAt: 0, timer: undefined };
    open.add(watched);
    const startWaiting = (change: () => void) => {
      const before = waiting(watched);
      change();
      if (!before && waiting(watched)) {
        watched.heardAt = Date.now();
        watched.timer ??= setTimeout(() => check(watched), answerMs).unref();
      }
    };
    const sent = messageTypes((type) => {
      if (type === SYNC || type === QUERY) startWaiting(() => watched.owed++);
      else if (type === FLUSH) startWaiting(() => (watched.flushed = true));
    });
    const received = messageTypes((type) => {
      watched.flushed = false;
      // The startup's ReadyForQuery was not counted as owed.
      if (type === READY_FOR_QUERY) watched.owed = Math.max(0, watched.owed - 1);
    });
    let first = true;
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = (chunk: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(chunk) && !watched.opaque) {
        if (first) {
          first = false;
          // The startup message has no type byte: its length, then the protocol or the request's code.
          // The startup's own wait is the driver's connect timeout.
          if (chunk.length < 8 || chunk.readUInt32BE(4) !== PROTOCOL_3) watched.opaque = true;
          else sent(chunk.subarray(chunk.readUInt32BE(0)));
        } else sent(chunk);
      }
      return write(chunk, ...rest);
    };
    socket.on('data', (chunk: Buffer) => {
      watched.heardAt = Date.now();
      if (!watched.opaque) received(chunk);
    });
    socket.once('close', () => {
      clearTimeout(watched.timer);
      open.delete(watched);
    });
  };

  return {
    socket: (options) => {
      if (closed) {
        const refused = new Socket();
        // After the driver has put its listeners on it (it awaits this factory): a socket destroyed
        // sooner, on the next tick, emitted its error with nobody listening, and that ended the process.
        setImmediate(() => refused.destroy(new Error('the database was closed')));
        return refused;
      }
      const index = next++ % Math.max(1, options.host.length);
      const host = options.host[index] ?? '127.0.0.1';
      const port = options.port[index] ?? options.port[0] ?? 5432;
      // Returned while it connects: postgres.js writes its startup at once, and the socket sends it once
      // connected; a refusal or the driver's connect timeout closes it as the driver's own socket would.
      const socket = options.path ? connect({ path: options.path }) : connect({ host, port });
      // postgres.js names the server for TLS from the socket's host, as it does with its own socket.
      (socket as Socket & { host?: string }).host = host;
      watch(socket);
      return socket;
    },
    stalled() {
      const now = Date.now();
      for (const watched of open) if (waiting(watched) && now - watched.heardAt >= answerMs / 2) return true;
      return false;
    },
    get ended() {
      return ended;
    },
    closeAll() {
      closed = true;
      for (const watched of open) reset(watched.socket);
    },
  };
}

/** Ends a connection with a reset: what it has not sent yet, or sent and not seen acknowledged, is dropped. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  // A Unix socket has no reset; it cannot hold anything a network would deliver later either. One whose
  // sending side is closed already (the driver ended it) cannot be reset: Node would leave its handle open.
  const tcp = socket.remoteFamily === 'IPv4' || socket.remoteFamily === 'IPv6';
  if (tcp && !socket.writableEnded) socket.resetAndDestroy();
  else socket.destroy();
}
