// The response tracker: for each company a story names, has it responded, declined, or stayed silent?
// Derived from the story's updates every time, so it can never drift from what was posted.
import type { Company, Report, Statement, Story, Update } from './model.js';

export type ResponseStatus = 'responded' | 'declined' | 'silent';

export interface CompanyResponse {
  company: Company;
  status: ResponseStatus;
  /** The latest statement and where it was reported. */
  latest?: { statement: Statement; report: Report | undefined; at: number };
  statementCount: number;
}

export function reportTime(update: Update): number {
  const published = update.reports[0]?.publishedAt;
  const parsed = published ? Date.parse(published) : Number.NaN;
  return Number.isNaN(parsed) ? update.createdAt : parsed;
}

const ORDER: Record<ResponseStatus, number> = { responded: 0, declined: 1, silent: 2 };

export function trackResponses(story: Story, updates: Update[]): CompanyResponse[] {
  const responses = story.companies.map((company): CompanyResponse => {
    let latest: CompanyResponse['latest'];
    let statementCount = 0;
    let responded = false;
    for (const update of updates) {
      for (const statement of update.statements) {
        if (statement.company !== company.name) continue;
        statementCount += 1;
        if (statement.stance !== 'declines') responded = true;
        const at = reportTime(update);
        if (!latest || at > latest.at) latest = { statement, report: update.reports[0], at };
      }
    }
    const status: ResponseStatus = responded ? 'responded' : statementCount > 0 ? 'declined' : 'silent';
    return { company, status, statementCount, ...(latest ? { latest } : {}) };
  });
  return responses.sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || (b.latest?.at ?? 0) - (a.latest?.at ?? 0),
  );
}
