// The one entry point every chat adapter calls: an invocation in, a reply out.
import type { CommandInvocation, Reply } from '../model.js';
import { feedsCommand } from './feeds.js';
import { helpCommand } from './help.js';
import { storyCommand } from './story.js';
import { subscribeCommand, subscriptionsCommand, unsubscribeCommand } from './subscribe.js';
import type { CommandContext } from './command-context.js';

export async function handleCommand(context: CommandContext, invocation: CommandInvocation): Promise<Reply> {
  switch (invocation.name.replace(/^\//, '').toLowerCase()) {
    case 'story':
    case 'stories':
      return storyCommand(context, invocation.args);
    case 'subscribe':
      return subscribeCommand(context, invocation);
    case 'unsubscribe':
      return unsubscribeCommand(context, invocation);
    case 'subscriptions':
      return subscriptionsCommand(context, invocation);
    case 'feeds':
      return feedsCommand(context, invocation);
    case 'help':
      return helpCommand(context);
    default:
      return helpCommand(context, `Unknown command "/${invocation.name}"`);
  }
}

