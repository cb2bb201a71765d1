// /subscribe, /unsubscribe, /subscriptions: editors follow a company, in one story or in all.
import type { CommandInvocation, Company, Reply, Story } from '../model.js';
import { textReply, type CommandContext } from './command-context.js';
import { allCompanies, findCompany, findStory, suggestCompanies, suggestStories } from './lookup.js';

type Target = { company: Company; story?: Story } | { error: Reply };

function resolveTarget(context: CommandContext, companyQuery: string | undefined, storyQuery: string | undefined, usage: string): Target {
  if (!companyQuery) return { error: textReply('Which company?', `Usage: ${usage}`) };
  let story: Story | undefined;
  if (storyQuery) {
    story = findStory(context.stories, storyQuery);
    if (!story) {
      const guesses = suggestStories(context.stories, storyQuery).map((s) => s.slug);
      return { error: textReply(`Unknown story "${storyQuery}"`, guesses.length > 0 ? `Did you mean: ${guesses.join(', ')}?` : `Tracked stories: ${context.stories.map((s) => s.slug).join(', ')}`) };
    }
  }
  const companies = story ? story.companies : allCompanies(context.stories);
  const company = findCompany(companies, companyQuery);
  if (!company) {
    const guesses = suggestCompanies(companies, companyQuery).map((c) => c.id);
    return {
      error: textReply(
        `Unknown company "${companyQuery}"`,
        guesses.length > 0 ? `Did you mean: ${guesses.join(', ')}?` : `Companies: ${companies.map((c) => c.id).join(', ')}`,
      ),
    };
  }
  return story ? { company, story } : { company };
}

export async function subscribeCommand(context: CommandContext, invocation: CommandInvocation): Promise<Reply> {
  const args = [...invocation.args];
  const modeIndex = args.findIndex((arg) => arg === 'dm' || arg === 'mention');
  const mode = modeIndex >= 0 ? (args.splice(modeIndex, 1)[0] as 'dm' | 'mention') : 'dm';
  const target = resolveTarget(context, args[0], args[1], '/subscribe <company> [story] [dm|mention]');
  if ('error' in target) return target.error;
  await context.subscriptions.add({
    platform: invocation.platform,
    userId: invocation.userId,
    company: target.company.name,
    ...(target.story ? { story: target.story.slug } : {}),
    mode,
    createdAt: context.now(),
  });
  const scope = target.story ? `in ${target.story.slug}` : 'in every story';
  const how = mode === 'dm' ? 'a direct message' : 'a mention in the story channel';
  return textReply('Subscribed', `You will get ${how} when ${target.company.name} responds ${scope}.`);
}

export async function unsubscribeCommand(context: CommandContext, invocation: CommandInvocation): Promise<Reply> {
  const target = resolveTarget(context, invocation.args[0], invocation.args[1], '/unsubscribe <company> [story]');
  if ('error' in target) return target.error;
  const removed = await context.subscriptions.remove(invocation.platform, invocation.userId, target.company.name, target.story?.slug);
  const scope = target.story ? ` in ${target.story.slug}` : '';
  return removed
    ? textReply('Unsubscribed', `No more messages about ${target.company.name}${scope}.`)
    : textReply('Not subscribed', `You had no subscription to ${target.company.name}${scope}. See /subscriptions.`);
}

export async function subscriptionsCommand(context: CommandContext, invocation: CommandInvocation): Promise<Reply> {
  const list = await context.subscriptions.listByUser(invocation.platform, invocation.userId);
  if (list.length === 0) return textReply('No subscriptions', 'Follow a company with /subscribe <company> [story].');
  return {
    visibility: 'ephemeral',
    message: {
      title: 'Your subscriptions',
      blocks: [
        {
          kind: 'list',
          items: list.map((s) => `${s.company} ${s.story ? `in ${s.story}` : 'in every story'} (${s.mode === 'dm' ? 'direct message' : 'mention'})`),
        },
      ],
    },
  };
}
