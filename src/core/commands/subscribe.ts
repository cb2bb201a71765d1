// /subscribe, /unsubscribe, /subscriptions: editors follow a company, in one story or in all.
import type { CommandInvocation, Company, Reply, Story } from '../model.js';
import { textReply, type CommandContext } from './command-context.js';
import { allCompanies, findCompany, findStory, suggestCompanies, suggestStories } from './lookup.js';

type Target = { company: Company; story?: Story } | { error: Reply };

/**
 * "<company words…> [story]": the longest run of leading words that names a company wins, so
 * "/subscribe Royal Bank of Canada facebook-partners" works without quotes.
 */
function resolveTarget(context: CommandContext, args: string[], usage: string): Target {
  if (args.length === 0) return { error: textReply('Which company?', `Usage: ${usage}`) };
  for (let words = args.length; words >= 1; words -= 1) {
    const query = args.slice(0, words).join(' ');
    const rest = args.slice(words);
    if (rest.length > 1) continue;
    if (rest.length === 1) {
      const story = findStory(context.stories, rest[0]!);
      const company = story ? findCompany(story.companies, query) : undefined;
      if (story && company) return { company, story };
      continue;
    }
    const company = findCompany(allCompanies(context.stories), query);
    if (company) return { company };
  }
  const storyQuery = args.length > 1 ? args[args.length - 1]! : undefined;
  if (storyQuery && !findStory(context.stories, storyQuery) && findCompany(allCompanies(context.stories), args.slice(0, -1).join(' '))) {
    const guesses = suggestStories(context.stories, storyQuery).map((s) => s.slug);
    return {
      error: textReply(
        `Unknown story "${storyQuery}"`,
        guesses.length > 0 ? `Did you mean: ${guesses.join(', ')}?` : `Tracked stories: ${context.stories.map((s) => s.slug).join(', ')}`,
      ),
    };
  }
  const story = storyQuery ? findStory(context.stories, storyQuery) : undefined;
  const companies = story ? story.companies : allCompanies(context.stories);
  const companyQuery = story ? args.slice(0, -1).join(' ') : args.join(' ');
  const guesses = suggestCompanies(companies, companyQuery).map((c) => c.id);
  return {
    error: textReply(
      `Unknown company "${companyQuery}"${story ? ` in ${story.slug}` : ''}`,
      guesses.length > 0 ? `Did you mean: ${guesses.join(', ')}?` : `Companies: ${companies.map((c) => c.id).join(', ')}`,
    ),
  };
}

export async function subscribeCommand(context: CommandContext, invocation: CommandInvocation): Promise<Reply> {
  const args = [...invocation.args];
  const modeIndex = args.findIndex((arg) => arg === 'dm' || arg === 'mention');
  const mode = modeIndex >= 0 ? (args.splice(modeIndex, 1)[0] as 'dm' | 'mention') : 'dm';
  const target = resolveTarget(context, args, '/subscribe <company> [story] [dm|mention]');
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
  const target = resolveTarget(context, invocation.args, '/unsubscribe <company> [story]');
  if ('error' in target) return target.error;
  const { platform, userId } = invocation;
  const company = target.company.name;
  // Without a story, every subscription to the company goes, whichever stories it was for.
  const stories = target.story
    ? [target.story.slug]
    : (await context.subscriptions.listByUser(platform, userId)).filter((s) => s.company === company).map((s) => s.story);
  let removed = 0;
  for (const story of stories) if (await context.subscriptions.remove(platform, userId, company, story)) removed += 1;
  const scope = target.story ? ` in ${target.story.slug}` : '';
  return removed > 0
    ? textReply('Unsubscribed', `No more messages about ${company}${scope}.`)
    : textReply('Not subscribed', `You had no subscription to ${company}${scope}. See /subscriptions.`);
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
