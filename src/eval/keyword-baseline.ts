// The filter editors set up in feed bots today, implemented honestly as the yardstick: an item
// matches when it names the story's subject company, a partner (any other company of the story)
// and a story word. A partner "made a statement" when its name shares a sentence with a word of
// speech ("said", "statement", "spokesperson", …). No word boundaries beyond whole words, no case
// rules, no negatives: what a keyword alert box offers.

import type { Matcher } from '../core/matching/match-item.js';
import type { FeedItem, Statement, Story, StoryMatch } from '../core/model.js';

const SPEECH_WORDS = /\b(?:said|says|statement|spokesperson|spokesman|spokeswoman|told|tells|denied|denies|responded|comment)\b/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function wordPattern(text: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(text.replace(/\*$/, ''))}(?![\\p{L}\\p{N}])`, 'iu');
}

function plain(html: string | undefined): string {
  return (html ?? '').replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/gi, ' ');
}

interface CompiledStory {
  story: Story;
  subjects: { name: string; patterns: RegExp[] }[];
  partners: { name: string; patterns: RegExp[] }[];
  words: RegExp[];
}

export function createKeywordBaseline(stories: Story[]): Matcher {
  const compiled: CompiledStory[] = stories.map((story) => {
    const companies = story.companies.map((company) => ({
      name: company.name,
      role: company.role,
      patterns: [company.name, ...company.aliases.map((alias) => alias.text)].map(wordPattern),
    }));
    return {
      story,
      subjects: companies.filter((c) => c.role === 'subject'),
      partners: companies.filter((c) => c.role !== 'subject'),
      words: [...story.vocabulary.core, ...story.vocabulary.related].map(wordPattern),
    };
  });
  return {
    match(item: FeedItem): StoryMatch[] {
      const text = `${item.title}\n${plain(item.summary)}\n${plain(item.content)}`;
      const matches: StoryMatch[] = [];
      for (const { story, subjects, partners, words } of compiled) {
        if (story.since && item.publishedAt && item.publishedAt < story.since) continue;
        const subjectsNamed = subjects.filter((c) => c.patterns.some((p) => p.test(text)));
        const partnersNamed = partners.filter((c) => c.patterns.some((p) => p.test(text)));
        const wordsFound = words.filter((w) => w.test(text));
        if (subjectsNamed.length === 0 || partnersNamed.length === 0 || wordsFound.length === 0) continue;
        const sentences = text.split(/(?<=[.!?])\s+|\n/);
        const statements: Statement[] = [];
        for (const company of [...subjectsNamed, ...partnersNamed]) {
          const sentence = sentences.find((s) => company.patterns.some((p) => p.test(s)) && SPEECH_WORDS.test(s));
          if (sentence) statements.push({ company: company.name, quote: sentence, stance: 'other', cue: 'keyword' });
        }
        matches.push({
          story: story.slug,
          score: wordsFound.length,
          companies: [...subjectsNamed, ...partnersNamed].map((c) => c.name),
          statements,
          why: `keywords: ${[...subjectsNamed, ...partnersNamed].map((c) => c.name).join(', ')} + ${wordsFound.length} story word(s)`,
        });
      }
      return matches;
    },
  };
}
