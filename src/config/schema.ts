// What editors write in config/: stories/<slug>.yaml and feeds.yaml. The JSON Schemas in
// config/schema/ are generated from these (npm run schema) so editors get autocompletion.
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const aliasSchema = z.union([
  nonEmpty.describe('An alias matched without regard to case, e.g. "Royal Bank of Canada"'),
  z
    .object({
      text: nonEmpty.describe('How the company is named in text'),
      caseSensitive: z
        .boolean()
        .default(false)
        .describe('Match only with this exact case (for ambiguous words: "Apple", "Amazon")'),
      negativeContexts: z
        .array(nonEmpty)
        .default([])
        .describe('Words that, near the alias, mean it is not the company ("rainforest", "pie")'),
    })
    .strict(),
]);

export const companySchema = z
  .object({
    name: nonEmpty.describe('Canonical name used in posts and commands: "Royal Bank of Canada"'),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes, e.g. "rbc"')
      .optional()
      .describe('Short id for commands (/subscribe rbc); defaults to the name in kebab-case'),
    role: z
      .enum(['subject', 'named'])
      .default('named')
      .describe('"subject": the story is about this company; "named": the reporting names it'),
    aliases: z.array(aliasSchema).default([]).describe('Other names: "RBC", "Bing" for Microsoft'),
    spokespeople: z
      .array(nonEmpty)
      .optional()
      .describe('People who speak for the company ("Steve Satterfield"): "Satterfield said" is the company speaking'),
  })
  .strict();

export const vocabularySchema = z
  .object({
    core: z.array(nonEmpty).default([]).describe('Terms that on their own signal the story'),
    related: z.array(nonEmpty).default([]).describe('Weaker terms that support a match'),
    negative: z.array(nonEmpty).default([]).describe('Terms of neighbouring stories that count against a match'),
  })
  .strict();

export const storyFileSchema = z
  .object({
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes, e.g. "facebook-partners"')
      .describe('Must equal the file name without .yaml'),
    title: nonEmpty,
    summary: nonEmpty,
    since: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}/, 'use an ISO date such as 2018-12-18')
      .optional()
      .describe('Items published before this date are background, not developments'),
    threshold: z.number().positive().default(3).describe('Minimum relevance score for a match'),
    reporting: z
      .array(
        z
          .object({ title: nonEmpty, url: z.url(), outlet: nonEmpty, date: z.string().optional() })
          .strict(),
      )
      .default([])
      .describe('The original reporting the story follows up'),
    channels: z
      .object({
        slack: nonEmpty.optional().describe('Slack channel id, e.g. C0123ABCD'),
        discord: z
          .string()
          .regex(/^\d{5,25}$/, 'use the numeric channel id (Developer Mode → Copy Channel ID)')
          .optional(),
        shell: nonEmpty.optional().describe('Label for the terminal adapter'),
      })
      .strict()
      .default({}),
    companies: z.array(companySchema).min(1, 'name at least one company'),
    vocabulary: vocabularySchema.default({ core: [], related: [], negative: [] }),
  })
  .strict();

export const feedSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes, e.g. "netflix-newsroom"'),
    url: nonEmpty.describe('http(s) URL; in the offline demo, a path relative to the feeds file'),
    title: nonEmpty,
    kind: z.enum(['newsroom', 'outlet', 'search']).default('outlet'),
    company: nonEmpty.optional().describe('For a company newsroom: the canonical company name'),
    stories: z.array(nonEmpty).default([]).describe('Story slugs; empty means every story'),
    intervalMinutes: z.number().int().min(1, 'poll at most once a minute').default(5),
    backfill: z
      .boolean()
      .optional()
      .describe('Post what the feed already holds on its first poll (default: only record it)'),
  })
  .strict();

export const feedsFileSchema = z
  .object({
    contact: z
      .string()
      .trim()
      .min(3)
      .optional()
      .describe('Contact address sent in the User-Agent so publishers can reach you'),
    feeds: z.array(feedSchema),
  })
  .strict();

export type StoryFile = z.infer<typeof storyFileSchema>;
export type FeedsFile = z.infer<typeof feedsFileSchema>;
