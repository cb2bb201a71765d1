// A ChatAdapter that talks to the fake chat server over HTTP, like a real platform client:
// the delivery id travels with the message, and findSent asks the platform (as Slack metadata does).
import type { Message, MessageRef, Platform } from '../../../src/core/model.js';
import { ChatError, type ChatAdapter, type CommandHandlers, type SendOptions } from '../../../src/core/ports.js';

export function messageText(message: Message): string {
  return [message.title ?? '', ...message.blocks.map((block) => ('text' in block ? block.text : block.kind))].join('\n');
}

export class HttpChatAdapter implements ChatAdapter {
  constructor(
    readonly platform: Platform,
    private readonly baseUrl: string,
  ) {}

  async start(_handlers: CommandHandlers): Promise<void> {}
  async stop(): Promise<void> {}

  post(channel: string, message: Message, options: SendOptions): Promise<MessageRef> {
    return this.send('post', channel, message, options);
  }

  dm(userId: string, message: Message, options: SendOptions): Promise<MessageRef> {
    return this.send('dm', userId, message, options);
  }

  async edit(ref: MessageRef, message: Message): Promise<void> {
    await this.request('/edit', { platform: this.platform, id: ref.id, text: messageText(message) });
  }

  async findSent(channel: string, deliveryId: string): Promise<MessageRef | undefined> {
    const query = new URLSearchParams({ platform: this.platform, target: channel, deliveryId });
    const response = await this.call(() => fetch(`${this.baseUrl}/find?${query}`));
    if (response.status === 404) return undefined;
    const { id } = (await response.json()) as { id: string };
    return { platform: this.platform, channel, id };
  }

  private async send(action: 'post' | 'dm', target: string, message: Message, options: SendOptions): Promise<MessageRef> {
    const body = { platform: this.platform, action, target, deliveryId: options.deliveryId, text: messageText(message) };
    const { id } = (await (await this.request('/send', body)).json()) as { id: string };
    return { platform: this.platform, channel: target, id };
  }

  private request(path: string, body: unknown): Promise<Response> {
    return this.call(() =>
      fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    );
  }

  private async call(send: () => Promise<Response>): Promise<Response> {
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      throw new ChatError('unavailable', `connection failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status === 429) {
      throw new ChatError('rate-limited', 'rate limited', Number(response.headers.get('retry-after-ms') ?? 1_000));
    }
    if (response.status >= 500) throw new ChatError('unavailable', `platform answered ${response.status}`);
    if (!response.ok && response.status !== 404) throw new ChatError('invalid', `platform answered ${response.status}`);
    return response;
  }
}
