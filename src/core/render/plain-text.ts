// The neutral message as terminal text: the shell adapter's rendering and every platform's fallback.
import type { Message, MessageBlock } from '../model.js';

function blockText(block: MessageBlock): string {
  switch (block.kind) {
    case 'heading':
      return `*${block.text}*`;
    case 'text':
    case 'context':
      return block.text;
    case 'quote':
      return block.text
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'fields':
      return block.fields.map((field) => `${field.label}: ${field.value}`).join(' | ');
    case 'link':
      return `${block.text} <${block.url}>`;
    case 'list':
      return block.items.map((item) => `• ${item}`).join('\n');
    case 'divider':
      return '---';
  }
}

export function toPlainText(message: Message): string {
  const lines = message.blocks.map(blockText);
  if (message.footer) lines.push(`_${message.footer}_`);
  return lines.join('\n');
}
