// The terminal adapter, like Hubot's shell: updates print as they are posted and the user types
// slash commands at a prompt. The default with no chat tokens, and a harness for end-to-end tests.
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseCommandLine } from '../../core/commands/parse-command.js';
import type { Message, MessageRef } from '../../core/model.js';
import { toPlainText } from '../../core/render/plain-text.js';
import type { ChatAdapter, CommandHandlers, SendOptions } from '../../core/ports.js';

export interface ShellAdapterOptions {
  input: Readable;
  output: Writable;
  /** Show a prompt and read commands; false for `--once`, which only prints posts. */
  interactive: boolean;
  userId?: string;
  /** Called when the user types exit/quit or input ends. */
  onExit?: () => void;
}

export interface ShellAdapter extends ChatAdapter {
  /** Resolves when the prompt closes. */
  readonly closed: Promise<void>;
  /** Everything posted, edited or sent directly, in order (for tests and --once). */
  readonly sent: { action: 'post' | 'edit' | 'dm'; ref: MessageRef; message: Message }[];
}

const PROMPT = 'storywatch> ';

export function renderForTerminal(message: Message): string {
  const title = message.title ? `${message.title}\n` : '';
  return `${title}${toPlainText(message)}`;
}

export function createShellAdapter(options: ShellAdapterOptions): ShellAdapter {
  let lines: Interface | undefined;
  let started = false;
  let counter = 0;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const sent: ShellAdapter['sent'] = [];
  const deliveryRefs = new Map<string, MessageRef>();

  function print(text: string): void {
    options.output.write(`${text}\n`);
    if (lines) lines.prompt(true);
  }

  function record(action: 'post' | 'edit' | 'dm', ref: MessageRef, message: Message): void {
    sent.push({ action, ref, message });
  }

  return {
    platform: 'shell',
    closed,
    sent,

    async start(handlers: CommandHandlers): Promise<void> {
      started = true;
      if (!options.interactive) {
        resolveClosed();
        return;
      }
      // Line editing and history in a real terminal; plain lines when piped (tests, scripts).
      const terminal = (options.output as { isTTY?: boolean }).isTTY === true;
      lines = createInterface({ input: options.input, output: options.output, prompt: PROMPT, terminal });
      print('storywatch shell: type /help for commands, exit to quit.');
      // Commands run one at a time, in the order typed, even when piped in all at once.
      let queue = Promise.resolve();
      lines.on('line', (line) => {
        queue = queue.then(async () => {
          const text = line.trim();
          if (text === '') return;
          if (text === 'exit' || text === 'quit') {
            lines?.close();
            return;
          }
          const command = parseCommandLine(text);
          if (!command) {
            print('Commands start with a slash: try /help');
            return;
          }
          try {
            const reply = await handlers.onCommand({
              platform: 'shell',
              userId: options.userId ?? 'shell-user',
              channelId: 'shell',
              name: command.name,
              args: command.args,
              isAdmin: true,
            });
            print(renderForTerminal(reply.message));
          } catch (error) {
            print(`Error: ${(error as Error).message}`);
          }
        });
      });
      lines.on('close', () => {
        void queue.then(() => {
          lines = undefined;
          resolveClosed();
          options.onExit?.();
        });
      });
    },

    async stop(): Promise<void> {
      if (!started) return;
      lines?.close();
      await closed;
    },

    async post(channel: string, message: Message, send: SendOptions): Promise<MessageRef> {
      counter += 1;
      const ref: MessageRef = { platform: 'shell', channel, id: String(counter) };
      deliveryRefs.set(send.deliveryId, ref);
      record('post', ref, message);
      print(`\n[${channel}] ${renderForTerminal(message)}`);
      return ref;
    },

    async edit(ref: MessageRef, message: Message): Promise<void> {
      record('edit', ref, message);
      print(`\n[${ref.channel}] (post ${ref.id} updated) ${renderForTerminal(message)}`);
    },

    async dm(userId: string, message: Message, send: SendOptions): Promise<MessageRef> {
      counter += 1;
      const ref: MessageRef = { platform: 'shell', channel: `@${userId}`, id: String(counter) };
      deliveryRefs.set(send.deliveryId, ref);
      record('dm', ref, message);
      print(`\n[direct message to ${userId}] ${renderForTerminal(message)}`);
      return ref;
    },

    async findSent(_channel: string, deliveryId: string): Promise<MessageRef | undefined> {
      return deliveryRefs.get(deliveryId);
    },
  };
}
