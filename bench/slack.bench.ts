// Slack: rendering cost per message (typical and worst case) and the adapter's overhead per post
// over a raw HTTP POST to the same local fake Slack.
import { pino } from 'pino';
import { createSlackAdapter } from '../src/chat/slack/slack-adapter.js';
import { renderSlackMessage } from '../src/chat/slack/slack-blocks.js';
import type { Message } from '../src/core/model.js';
import { FakeSlack } from '../tests/fakes/fake-slack.js';
import type { BenchRow } from './bench-types.js';
import { ms, timeAsync, timeSync } from './measure.js';

const typical: Message = {
  title: 'Netflix says it never accessed Facebook users’ private messages',
  url: 'https://news.example/netflix-statement',
  blocks: [
    { kind: 'quote', text: 'Over the years we have tried various ways to make Netflix more social. At no time did we access people’s private messages on Facebook or ask for the ability to do so.' },
    { kind: 'fields', fields: [{ label: 'Company', value: 'Netflix' }, { label: 'Stance', value: 'denies' }] },
    { kind: 'context', text: 'Reported by TechRadar · also by CBC Business' },
  ],
  footer: 'Matched: Netflix named with "private messages"',
  mentions: ['U0SUB1', 'U0SUB2'],
};

const hostileChunk = '<!channel> @everyone <@U123> & <script> '.repeat(130);
const worstCase: Message = {
  title: hostileChunk,
  url: 'https://news.example/x',
  blocks: Array.from({ length: 80 }, (_, index) => (index % 2 === 0 ? { kind: 'text' as const, text: hostileChunk } : { kind: 'quote' as const, text: hostileChunk })),
  footer: hostileChunk,
  mentions: Array.from({ length: 20 }, (_, index) => `U0SUB${index}`),
};

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];

  const typicalRender = timeSync(2000, () => renderSlackMessage(typical));
  const typicalCopy = timeSync(2000, () => JSON.parse(JSON.stringify(typical)));
  rows.push({
    name: 'slack: render a typical update post',
    median: ms(typicalRender),
    baseline: `${ms(typicalCopy)} (JSON round trip of the message)`,
    ratio: (typicalRender / typicalCopy).toFixed(1),
    target: '< 1 ms',
    pass: typicalRender < 1,
  });

  const worstRender = timeSync(200, () => renderSlackMessage(worstCase));
  const worstCopy = timeSync(200, () => JSON.parse(JSON.stringify(worstCase)));
  rows.push({
    name: 'slack: render 80 hostile 5 kB blocks (cut to 50 blocks, escaped, fitted)',
    median: ms(worstRender),
    baseline: `${ms(worstCopy)} (JSON round trip)`,
    ratio: (worstRender / worstCopy).toFixed(1),
    target: '< 20 ms',
    pass: worstRender < 20,
  });

  const slack = await FakeSlack.start();
  try {
    const adapter = createSlackAdapter({ botToken: 'xoxb-bench', signingSecret: 'bench', port: 0, apiUrl: slack.apiUrl, logger: pino({ level: 'silent' }) });
    let delivery = 0;
    const rendered = renderSlackMessage(typical);
    const rawBody = new URLSearchParams({ channel: 'C0BENCH', text: rendered.text, blocks: JSON.stringify(rendered.blocks) }).toString();
    // Warm both paths (connection pools, JIT) before measuring.
    for (let warm = 0; warm < 20; warm += 1) {
      await adapter.post('C0BENCH', typical, { deliveryId: `warm-${warm}` });
      await (await fetch(`${slack.apiUrl}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: rawBody })).text();
    }
    const viaAdapter = await timeAsync(300, () => adapter.post('C0BENCH', typical, { deliveryId: `bench-${(delivery += 1)}` }));
    const rawPost = await timeAsync(300, async () =>
      (await fetch(`${slack.apiUrl}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: rawBody })).text(),
    );
    rows.push({
      name: 'slack: adapter.post() to a local fake Slack',
      median: ms(viaAdapter),
      baseline: `${ms(rawPost)} (raw fetch POST of the same message)`,
      ratio: (viaAdapter / rawPost).toFixed(2),
      target: 'ratio < 3',
      pass: viaAdapter / rawPost < 3,
      note: 'render + Bolt WebClient (queue, retry policy, form encoding) over loopback',
    });
  } finally {
    await slack.close();
  }
  return rows;
}
