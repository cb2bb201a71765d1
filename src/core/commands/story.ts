// /story, /story <slug>, /story <slug> <company>: the stories, the response tracker, one company's statements.
import type { MessageBlock, Reply, Story } from '../model.js';
import { headlineOf, stanceLabel } from '../render/update-message.js';
import { reportTime, trackResponses, type CompanyResponse } from '../tracker.js';
import { ephemeral, formatTime, textReply, type CommandContext } from './command-context.js';
import { findCompany, findStory, suggestCompanies, suggestStories } from './lookup.js';

const LATEST_UPDATES = 5;
/** The tracker must see every statement ever posted, not the newest page: a story's whole history. */
const STORY_HISTORY = 100_000;

function allUpdates(context: CommandContext, story: Story) {
  return context.updates.listByStory(story.slug, STORY_HISTORY);
}

export async function storyCommand(context: CommandContext, args: string[]): Promise<Reply> {
  const [slug, ...companyWords] = args;
  if (!slug) return listStories(context);
  const story = findStory(context.stories, slug);
  if (!story) {
    // "/story netflix": a company rather than a story is what the editor meant.
    const asCompany = [slug, ...companyWords].join(' ');
    const naming = context.stories.filter((candidate) => findCompany(candidate.companies, asCompany));
    if (naming.length === 1) return companyStatements(context, naming[0]!, asCompany);
    if (naming.length > 1) {
      return textReply(
        `${findCompany(naming[0]!.companies, asCompany)!.name} is in ${naming.length} stories`,
        ...naming.map((candidate) => `/story ${candidate.slug} ${asCompany}: ${candidate.title}`),
      );
    }
    const guesses = suggestStories(context.stories, slug).map((s) => s.slug);
    return textReply(
      `Unknown story "${slug}"`,
      guesses.length > 0 ? `Did you mean: ${guesses.join(', ')}?` : `Tracked stories: ${context.stories.map((s) => s.slug).join(', ')}`,
    );
  }
  if (companyWords.length > 0) return companyStatements(context, story, companyWords.join(' '));
  return responseTracker(context, story);
}

async function listStories(context: CommandContext): Promise<Reply> {
  const items = await Promise.all(
    context.stories.map(async (story) => {
      const updates = await allUpdates(context, story);
      const responded = trackResponses(story, updates).filter((r) => r.status !== 'silent').length;
      return `${story.slug}: ${story.title} (${responded} of ${story.companies.length} companies responded, ${updates.length} updates)`;
    }),
  );
  return ephemeral({
    title: 'Tracked stories',
    blocks: [{ kind: 'list', items }, { kind: 'context', text: 'Run /story <slug> for who has responded and what they said.' }],
  });
}

function responseLine(response: CompanyResponse): string {
  const name = response.company.name;
  if (!response.latest) return `${name}: silent`;
  const { statement, report, at } = response.latest;
  const where = report ? ` (${report.source}${report.link ? ` ${report.link}` : ''})` : '';
  const status = response.status === 'declined' ? 'declined to comment' : stanceLabel(statement.stance);
  return `${name}: ${status}, ${formatTime(at)}: “${statement.quote}”${where}`;
}

async function responseTracker(context: CommandContext, story: Story): Promise<Reply> {
  const updates = await allUpdates(context, story);
  const responses = trackResponses(story, updates);
  const count = (status: CompanyResponse['status']) => responses.filter((r) => r.status === status).length;
  const blocks: MessageBlock[] = [
    { kind: 'text', text: story.summary },
    {
      kind: 'fields',
      fields: [
        { label: 'Responded', value: String(count('responded')) },
        { label: 'Declined', value: String(count('declined')) },
        { label: 'Silent', value: String(count('silent')) },
      ],
    },
    { kind: 'list', items: responses.map(responseLine) },
  ];
  const latest = [...updates].sort((a, b) => reportTime(b) - reportTime(a)).slice(0, LATEST_UPDATES);
  if (latest.length > 0) {
    blocks.push({ kind: 'divider' }, { kind: 'heading', text: 'Latest updates' });
    blocks.push({
      kind: 'list',
      items: latest.map((update) => {
        const report = update.reports[0];
        const others = update.reports.length - 1;
        const more = others > 0 ? ` (+${others} ${others === 1 ? 'outlet' : 'outlets'})` : '';
        return `${formatTime(reportTime(update))} ${headlineOf(update)}: ${report?.title ?? ''} (${report?.source ?? ''})${more}`;
      }),
    });
  } else {
    blocks.push({ kind: 'context', text: 'No updates yet: storywatch posts here as soon as a company responds.' });
  }
  return ephemeral({ title: story.title, blocks });
}

async function companyStatements(context: CommandContext, story: Story, query: string): Promise<Reply> {
  const company = findCompany(story.companies, query);
  if (!company) {
    const guesses = suggestCompanies(story.companies, query).map((c) => c.id);
    return textReply(
      `"${query}" is not a company of ${story.slug}`,
      guesses.length > 0 ? `Did you mean: ${guesses.join(', ')}?` : `Companies: ${story.companies.map((c) => c.id).join(', ')}`,
    );
  }
  const updates = await allUpdates(context, story);
  const statements = updates
    .flatMap((update) =>
      update.statements.filter((s) => s.company === company.name).map((statement) => ({ statement, update })),
    )
    .sort((a, b) => reportTime(b.update) - reportTime(a.update));
  if (statements.length === 0) {
    return textReply(`${company.name} in ${story.slug}`, `${company.name} has not responded yet.`);
  }
  const blocks: MessageBlock[] = [];
  for (const { statement, update } of statements) {
    const report = update.reports[0];
    blocks.push({ kind: 'quote', text: `“${statement.quote}”` });
    blocks.push({
      kind: 'context',
      text: `${stanceLabel(statement.stance)} · ${formatTime(reportTime(update))} · ${update.reports.map((r) => r.source).join(', ')}`,
    });
    if (report?.link) blocks.push({ kind: 'link', text: report.title, url: report.link });
  }
  return ephemeral({ title: `${company.name} in ${story.slug}`, blocks });
}
