// Suggestions while the user types a command option (Discord autocomplete).
import type { Choice } from '../ports.js';
import type { Story } from '../model.js';
import { COMMAND_SPECS } from './command-specs.js';
import { allCompanies, findStory } from './lookup.js';

const MAX_CHOICES = 25;

function matching(choices: Choice[], partial: string): Choice[] {
  const wanted = partial.trim().toLowerCase();
  const starts = choices.filter((c) => c.name.toLowerCase().startsWith(wanted) || c.value.startsWith(wanted));
  const contains = choices.filter((c) => !starts.includes(c) && c.name.toLowerCase().includes(wanted));
  return [...starts, ...contains].slice(0, MAX_CHOICES);
}

export function completeOption(
  stories: Story[],
  feedIds: string[],
  command: string,
  option: string,
  partial: string,
  args: Record<string, string>,
): Choice[] {
  const kind = COMMAND_SPECS.find((spec) => spec.name === command)?.options.find((o) => o.name === option)?.kind;
  switch (kind) {
    case 'story':
      return matching(stories.map((story) => ({ name: `${story.slug}: ${story.title}`.slice(0, 100), value: story.slug })), partial);
    case 'company': {
      const story = args.story ? findStory(stories, args.story) : undefined;
      const companies = story ? story.companies : allCompanies(stories);
      return matching(companies.map((company) => ({ name: company.name, value: company.id })), partial);
    }
    case 'feed':
      return matching(feedIds.map((id) => ({ name: id, value: id })), partial);
    case 'mode':
      return matching([{ name: 'direct message', value: 'dm' }, { name: 'mention in the story channel', value: 'mention' }], partial);
    default:
      return [];
  }
}
