// /feeds and /feeds resume <feed>: what storywatch polls and how each feed is doing.
import type { CommandInvocation, FeedState, Reply } from '../model.js';
import { ephemeral, formatTime, textReply, type CommandContext } from './command-context.js';
import { closest } from './lookup.js';

function stateLine(title: string, id: string, state: FeedState | undefined): string {
  if (!state) return `${title} [${id}]: not polled yet`;
  const error = state.lastError ? `, last error: ${state.lastError}` : '';
  return `${title} [${id}]: ${state.status}, last success ${formatTime(state.lastSuccessAt)}${error}`;
}

export async function feedsCommand(context: CommandContext, invocation: CommandInvocation): Promise<Reply> {
  const [action, feedId] = invocation.args;
  if (action === 'resume') return resume(context, invocation, feedId);
  if (action) return textReply(`Unknown /feeds action "${action}"`, 'Usage: /feeds, or /feeds resume <feed>');
  const states = new Map((await context.feedStates.list()).map((state) => [state.feedId, state]));
  const lines = context.feeds.map((feed) => stateLine(feed.title, feed.id, states.get(feed.id)));
  const paused = [...states.values()].filter((state) => state.status === 'paused').length;
  return ephemeral({
    title: `Feeds (${context.feeds.length}, ${paused} paused)`,
    blocks: [{ kind: 'list', items: lines }, { kind: 'context', text: 'Resume a paused feed with /feeds resume <feed>.' }],
  });
}

async function resume(context: CommandContext, invocation: CommandInvocation, feedId: string | undefined): Promise<Reply> {
  if (!invocation.isAdmin) return textReply('Not allowed', 'Only admins (Manage Server on Discord) can resume feeds.');
  if (!feedId) return textReply('Which feed?', 'Usage: /feeds resume <feed>');
  const feed = context.feeds.find((candidate) => candidate.id === feedId);
  if (!feed) {
    const guesses = closest(feedId, context.feeds, (f) => [f.id]).map((f) => f.id);
    return textReply(`Unknown feed "${feedId}"`, guesses.length > 0 ? `Did you mean: ${guesses.join(', ')}?` : 'See /feeds.');
  }
  const resumed = await context.resumeFeed(feed.id);
  return resumed
    ? textReply('Feed resumed', `${feed.title} will be polled again on the next cycle.`)
    : textReply('Feed was not paused', `${feed.title} is already being polled.`);
}
