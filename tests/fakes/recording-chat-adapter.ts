// A ChatAdapter that records what it was asked to send and can be told to fail.
import type { Message, MessageRef, Platform } from '../../src/core/model.js';
import type { ChatAdapter, CommandHandlers, SendOptions } from '../../src/core/ports.js';

export type RecordedAction = 'post' | 'edit' | 'dm' | 'findSent';

export interface RecordedSend {
  target: string;
  message: Message;
  deliveryId: string;
  ref: MessageRef;
}

interface PlannedFailure {
  action: RecordedAction;
  error: Error;
  remaining: number;
  /** The platform takes the message, then the answer is lost (the error reaches the caller). */
  afterAccepting: boolean;
}

export class RecordingChatAdapter implements ChatAdapter {
  readonly posts: RecordedSend[] = [];
  readonly dms: RecordedSend[] = [];
  readonly edits: { ref: MessageRef; message: Message }[] = [];
  readonly findSentCalls: { target: string; deliveryId: string }[] = [];
  findSent?: (channel: string, deliveryId: string) => Promise<MessageRef | undefined>;
  private readonly failures: PlannedFailure[] = [];
  private nextId = 1;

  constructor(
    readonly platform: Platform = 'slack',
    options: { canFindSent?: boolean } = {},
  ) {
    if (options.canFindSent !== false) {
      this.findSent = async (target, deliveryId) => {
        this.findSentCalls.push({ target, deliveryId });
        this.throwIfPlanned('findSent', false);
        return [...this.posts, ...this.dms].find((sent) => sent.target === target && sent.deliveryId === deliveryId)?.ref;
      };
    }
  }

  /** The next `times` calls of action throw error. */
  failNext(action: RecordedAction, error: Error, times = 1): this {
    this.failures.push({ action, error, remaining: times, afterAccepting: false });
    return this;
  }

  /** The next call of action is accepted by the platform but the caller gets error (lost response). */
  acceptThenFail(action: 'post' | 'dm', error: Error): this {
    this.failures.push({ action, error, remaining: 1, afterAccepting: true });
    return this;
  }

  async start(_handlers: CommandHandlers): Promise<void> {}
  async stop(): Promise<void> {}

  async post(channel: string, message: Message, options: SendOptions): Promise<MessageRef> {
    return this.send(this.posts, 'post', channel, message, options);
  }

  async dm(userId: string, message: Message, options: SendOptions): Promise<MessageRef> {
    return this.send(this.dms, 'dm', userId, message, options);
  }

  async edit(ref: MessageRef, message: Message): Promise<void> {
    this.throwIfPlanned('edit', false);
    this.edits.push({ ref, message });
  }

  /** How many times each delivery id was sent (posts and DMs); more than 1 is a duplicate. */
  sendCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const sent of [...this.posts, ...this.dms]) counts.set(sent.deliveryId, (counts.get(sent.deliveryId) ?? 0) + 1);
    return counts;
  }

  private send(log: RecordedSend[], action: 'post' | 'dm', target: string, message: Message, options: SendOptions): MessageRef {
    this.throwIfPlanned(action, false);
    const ref: MessageRef = { platform: this.platform, channel: target, id: `m${this.nextId++}` };
    log.push({ target, message, deliveryId: options.deliveryId, ref });
    this.throwIfPlanned(action, true);
    return ref;
  }

  private throwIfPlanned(action: RecordedAction, afterAccepting: boolean): void {
    const planned = this.failures.find((failure) => failure.action === action && failure.remaining > 0);
    if (!planned || planned.afterAccepting !== afterAccepting) return;
    planned.remaining -= 1;
    if (planned.remaining === 0) this.failures.splice(this.failures.indexOf(planned), 1);
    throw planned.error;
  }
}
