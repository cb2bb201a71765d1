// Discord: embed rendering per message (typical and worst case) and the adapter's overhead per post
// (discord.js REST: queueing, rate-limit bookkeeping, JSON) over a raw fetch to the same local fake Discord.
import { pino } from 'pino';
import { createDiscordAdapter, nonceFor } from '../src/chat/discord/discord-adapter.js';
import { embedLength, renderEmbed } from '../src/chat/discord/discord-embeds.js';
import type { Message } from '../src/core/model.js';
import { FakeDiscord } from '../tests/fakes/fake-discord.js';
import type { BenchRow } from './bench-types.js';
import { ms, timeAsync, timeSync } from './measure.js';

const typical: Message = {
  title: 'Netflix says it never accessed Facebook users’ private messages',
  url: 'https://news.example/netflix-statement',
  blocks: [
    { kind: 'heading', text: 'Netflix denies' },
    { kind: 'quote', text: 'Over the years we have tried various ways to make Netflix more social. At no time did we access people’s private messages on Facebook or ask for the ability to do so.' },
    { kind: 'fields', fields: [{ label: 'Company', value: 'Netflix' }, { label: 'Stance', value: 'denies' }] },
    { kind: 'link', text: 'TechRadar: Netflix says it never accessed private messages', url: 'https://news.example/netflix-statement' },
    { kind: 'context', text: 'Reported by TechRadar · also by CBC Business' },
  ],
  footer: 'Matched: Netflix named with "private messages"',
  accent: 'denies',
  mentions: ['700000000000000001', '700000000000000002'],
};

const hostileChunk = '@everyone <@&123> **bold** [x](https://evil.example) # heading\n> quote '.repeat(70);
const worstCase: Message = {
  title: hostileChunk,
  url: 'https://news.example/x',
  blocks: [
    ...Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? { kind: 'text' as const, text: hostileChunk } : { kind: 'quote' as const, text: hostileChunk })),
    { kind: 'fields', fields: Array.from({ length: 40 }, (_, index) => ({ label: `${index} ${hostileChunk}`, value: hostileChunk })) },
  ],
  footer: hostileChunk,
  mentions: Array.from({ length: 150 }, (_, index) => String(700000000000000000n + BigInt(index))),
};

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];

  const typicalRender = timeSync(2000, () => renderEmbed(typical));
  const typicalCopy = timeSync(2000, () => JSON.parse(JSON.stringify(typical)));
  rows.push({
    name: 'discord: render a typical update embed',
    median: ms(typicalRender),
    baseline: `${ms(typicalCopy)} (JSON round trip of the message)`,
    ratio: (typicalRender / typicalCopy).toFixed(1),
    target: '< 1 ms',
    pass: typicalRender < 1,
  });

  const worstRender = timeSync(200, () => renderEmbed(worstCase));
  const worstCopy = timeSync(200, () => JSON.parse(JSON.stringify(worstCase)));
  const worstFits = embedLength(renderEmbed(worstCase)) <= 6000;
  rows.push({
    name: 'discord: render 40 hostile 4 kB blocks + 40 fields (escaped, cut to every limit and 6,000 total)',
    median: ms(worstRender),
    baseline: `${ms(worstCopy)} (JSON round trip)`,
    ratio: (worstRender / worstCopy).toFixed(1),
    target: '< 20 ms and within 6,000',
    pass: worstRender < 20 && worstFits,
  });

  const discord = await FakeDiscord.start();
  try {
    const adapter = createDiscordAdapter({ token: 'bench', applicationId: discord.applicationId, apiUrl: discord.apiUrl, logger: pino({ level: 'silent' }) });
    const url = `${discord.apiUrl}/v10/channels/${discord.channelId}/messages`;
    let delivery = 0;
    const rawBody = (id: string) =>
      JSON.stringify({ embeds: [renderEmbed(typical)], nonce: nonceFor(id), enforce_nonce: true, allowed_mentions: { parse: [], users: [] } });
    const rawPost = async (id: string) =>
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bot bench' }, body: rawBody(id) })).text();
    // Warm both paths (connection pools, JIT) before measuring.
    for (let warm = 0; warm < 20; warm += 1) {
      await adapter.post(discord.channelId, typical, { deliveryId: `warm-a-${warm}` });
      await rawPost(`warm-b-${warm}`);
    }
    // discord.js spaces requests at 50 per second globally; 40 runs stay inside one window each.
    const viaAdapter = await timeAsync(40, () => adapter.post(discord.channelId, typical, { deliveryId: `bench-a-${(delivery += 1)}` }));
    const viaFetch = await timeAsync(40, () => rawPost(`bench-b-${(delivery += 1)}`));
    rows.push({
      name: 'discord: adapter.post() to a local fake Discord',
      median: ms(viaAdapter),
      baseline: `${ms(viaFetch)} (raw fetch POST of the same body)`,
      ratio: (viaAdapter / viaFetch).toFixed(2),
      target: 'ratio < 3',
      pass: viaAdapter / viaFetch < 3,
      note: 'render + discord.js REST (bucket queue, rate-limit bookkeeping) over loopback',
    });
    await adapter.stop();
  } finally {
    await discord.close();
  }
  return rows;
}
