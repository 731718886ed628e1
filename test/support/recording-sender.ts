import type { UserRow } from '../../src/app/ports/users.js';
import type { DecisionCardView } from '../../src/app/cards.js';
import type {
  Address,
  CardLocation,
  MessageContent,
  Platform,
  PlatformContact,
  PlatformSender,
} from '../../src/app/delivery-port.js';
import type { Msg, Reader } from '../../src/i18n/index.js';

/** What a platform stand-in received, in order. Only calls that succeeded are recorded. */
export type Delivery =
  | { platform: Platform; kind: 'message'; to: Address; text: Msg; lines: Msg[]; transferId?: string }
  | { platform: Platform; kind: 'card'; to: Address; card: DecisionCardView; location: CardLocation }
  | { platform: Platform; kind: 'update'; location: CardLocation; card: DecisionCardView; reader: Reader }
  | { platform: Platform; kind: 'file'; to: Address; file: { path: string; name: string; title: Msg } };

export type CallKind = Delivery['kind'];

export interface RecordingOptions {
  platform?: Platform;
  /** Whether this platform knows a user. Default: users with an id on this platform (console: everyone). */
  knows?: (user: UserRow) => boolean;
  /** Role channels configured on this platform: `{ compliance: 'C0COMPLIANCE' }`. */
  channels?: Record<string, string>;
  /** The error the n-th send (1-based, across kinds) fails with, or undefined to let it through. */
  fail?: (call: number, kind: CallKind) => Error | undefined;
  /** From this call on, calls never return: a process frozen or killed mid-batch. */
  freezeFrom?: number;
  /** Shared with other stand-ins, to see every platform's deliveries in one order. */
  log?: Delivery[];
  /** Time each send takes, to let concurrent workers interleave. */
  latencyMs?: number;
  /** Runs inside the n-th call before it completes: what happens elsewhere while a send is in flight. */
  during?: (call: number, kind: CallKind) => Promise<void>;
}

/**
 * A chat platform stand-in implementing the real PlatformSender port: it records what it was asked to
 * deliver and can fail or freeze on cue, as Slack and Teams do (500s, 429 with Retry-After, timeouts).
 */
export class RecordingSender implements PlatformSender {
  readonly platform: Platform;
  readonly log: Delivery[];
  calls = 0;
  private cardSeq = 0;

  constructor(private readonly options: RecordingOptions = {}) {
    this.platform = options.platform ?? 'slack';
    this.log = options.log ?? [];
  }

  async resolveUser(user: UserRow): Promise<PlatformContact | null> {
    const linked = this.platform === 'console' ? undefined : user.identities[this.platform];
    const known = this.options.knows
      ? this.options.knows(user)
      : this.platform === 'console' || linked !== undefined;
    if (!known) return null;
    return { id: linked ?? `${this.platform}:${user.email}` };
  }

  resolveChannel(channel: string): PlatformContact | null {
    const id = this.options.channels?.[channel];
    return id ? { id } : null;
  }

  async sendMessage(to: Address, content: MessageContent): Promise<void> {
    await this.call('message');
    this.log.push({
      platform: this.platform,
      kind: 'message',
      to,
      text: content.text,
      lines: content.lines,
      ...(content.transferId ? { transferId: content.transferId } : {}),
    });
  }

  async sendCard(to: Address, card: DecisionCardView): Promise<CardLocation> {
    await this.call('card');
    const location = { channel: to.id, ts: `${this.platform}-${++this.cardSeq}` };
    this.log.push({ platform: this.platform, kind: 'card', to, card, location });
    return location;
  }

  async updateCard(location: CardLocation, card: DecisionCardView, reader: Reader): Promise<void> {
    await this.call('update');
    this.log.push({ platform: this.platform, kind: 'update', location, card, reader });
  }

  async sendFile(to: Address, file: { path: string; name: string; title: Msg }): Promise<void> {
    await this.call('file');
    this.log.push({ platform: this.platform, kind: 'file', to, file });
  }

  private async call(kind: CallKind): Promise<void> {
    const n = ++this.calls;
    if (this.options.freezeFrom !== undefined && n >= this.options.freezeFrom)
      await new Promise(() => undefined);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    await this.options.during?.(n, kind);
    const error = this.options.fail?.(n, kind);
    if (error) throw error;
  }
}

/** A seeded generator, so a "fails half the calls" run is the same every time. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
