// The "why" of a match, in words an editor can check against the item in a few seconds.

import type { Statement, Story } from '../model.js';
import type { RelevanceEvidence } from './relevance.js';

const MAX_ECHOES_SHOWN = 4;

function quoted(list: readonly string[]): string {
  return list.map((term) => `"${term}"`).join(', ');
}

export function explainMatch(story: Story, score: number, evidence: RelevanceEvidence, statements: readonly Statement[]): string {
  const parts: string[] = [`"${story.title}" scored ${score} (needs ${story.threshold})`];
  const companies = evidence.companies.map((index) => {
    const company = story.companies[index];
    const seen = evidence.aliasesSeen.get(index) ?? [];
    const name = company?.name ?? '?';
    const asWritten = seen.filter((alias) => alias !== name);
    return asWritten.length > 0 ? `${name} (as ${quoted(asWritten)})` : name;
  });
  if (companies.length > 0) parts.push(`names ${companies.join(', ')}`);
  if (evidence.core.length > 0) parts.push(`story terms ${quoted(evidence.core)}`);
  if (evidence.coreInTitle.length > 0) parts.push(`headline has ${quoted(evidence.coreInTitle)}`);
  if (evidence.related.length > 0) parts.push(`supporting terms ${quoted(evidence.related)}`);
  const echoes = evidence.storyPhrase.length + evidence.storyWord.length;
  if (echoes > 0) {
    // The first few are enough to check; the list can be long.
    const shown = evidence.storyPhrase.concat(evidence.storyWord).slice(0, MAX_ECHOES_SHOWN);
    parts.push(`echoes the story's own words ${quoted(shown)}${echoes > shown.length ? ` and ${echoes - shown.length} more` : ''}`);
  }
  if (evidence.namedCompanyResponds) parts.push('a named company responds');
  if (evidence.negative.length > 0) parts.push(`counted against: ${quoted(evidence.negative)}`);
  for (const statement of statements) {
    parts.push(`statement by ${statement.company} (${statement.stance}${statement.cue ? `, from "${statement.cue}"` : ''})`);
  }
  return `${parts.join('; ')}.`;
}

export function explainRejection(story: Story, score: number, evidence: RelevanceEvidence): string {
  if (evidence.companies.length === 0) return `names none of the companies of "${story.title}"`;
  const subjects = story.companies.filter((company) => company.role === 'subject');
  const namesSubject = evidence.companies.some((index) => story.companies[index]?.role === 'subject');
  if (subjects.length > 0 && !namesSubject) {
    return `does not name ${subjects.map((company) => company.name).join(' or ')}, the subject of "${story.title}"`;
  }
  if (evidence.passingMention) {
    return `${explainMatch(story, score, evidence, []).replace(/\.$/, '')} — a passing mention: the headline has none of the story and all of it is one sentence.`;
  }
  if (evidence.core.length === 0 && score === 0 && evidence.companies.length > 0) {
    return `${explainMatch(story, score, evidence, []).replace(/\.$/, '')} — none of the story's core terms.`;
  }
  return explainMatch(story, score, evidence, []).replace(/\.$/, '') + ' — below the threshold.';
}
