// Finding stories and companies by what an editor types: slug, id, name or alias, and close guesses.
import type { Company, Story } from '../model.js';

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

function namesOf(company: Company): string[] {
  return [company.id, company.name, ...company.aliases.map((alias) => alias.text)].map(normalise);
}

/** Up to `limit` candidates ranked by how close one of their names is to the query. */
export function closest<T>(query: string, candidates: T[], names: (candidate: T) => string[], limit = 3): T[] {
  const wanted = normalise(query);
  return candidates
    .map((candidate) => {
      const distances = names(candidate).map((name) =>
        name.startsWith(wanted) || name.includes(wanted) ? 0 : editDistance(wanted, name),
      );
      return { candidate, distance: Math.min(...distances) };
    })
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(wanted.length / 2)))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

export function findStory(stories: Story[], query: string): Story | undefined {
  const wanted = normalise(query);
  return stories.find((story) => story.slug === wanted);
}

export function suggestStories(stories: Story[], query: string): Story[] {
  return closest(query, stories, (story) => [story.slug, normalise(story.title)]);
}

export function findCompany(companies: Company[], query: string): Company | undefined {
  const wanted = normalise(query);
  return companies.find((company) => namesOf(company).includes(wanted));
}

export function suggestCompanies(companies: Company[], query: string): Company[] {
  return closest(query, companies, namesOf);
}

/** Every company of every story, once per canonical name. */
export function allCompanies(stories: Story[]): Company[] {
  const byName = new Map<string, Company>();
  for (const story of stories) for (const company of story.companies) if (!byName.has(company.name)) byName.set(company.name, company);
  return [...byName.values()];
}
