// Turns the environment and the files under config/ into one validated Config.
// Every problem becomes a ConfigError naming the file, the field and the fix.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Company, Feed, Story } from '../core/model.js';
import { feedsFileSchema, storyFileSchema, type StoryFile } from './schema.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** File access, injected so tests can feed files from memory. */
export interface ConfigFiles {
  read(path: string): string;
  list(dir: string): string[];
}

export const diskFiles: ConfigFiles = {
  read: (path) => readFileSync(path, 'utf8'),
  list: (dir) => readdirSync(dir),
};

function readOrFail(files: ConfigFiles, path: string, what: string): string {
  try {
    return files.read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(`${path}: cannot read ${what} (${reason})`);
  }
}

/** Parses YAML and validates it, reporting the first problem with its line. */
function parseYaml<S extends z.ZodType>(text: string, path: string, schema: S): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const pos = lineCounter.linePos(syntaxError.pos[0]);
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    throw new ConfigError(`${path}${where}: YAML syntax error: ${syntaxError.message.split('\n')[0]}`);
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  const line = lineOf(doc, lineCounter, issue.path);
  throw new ConfigError(`${path}${line ? `:${line}` : ''}: ${field}: ${describeIssue(issue)}`);
}

function lineOf(doc: Document, lineCounter: LineCounter, path: PropertyKey[]): number | undefined {
  // Walk down as far as the path exists, so a missing field points at its parent.
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true);
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.range) {
      return lineCounter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see config/schema/)`;
  }
  if (issue.code === 'invalid_type' && issue.message.includes('undefined')) {
    return `required field is missing (expected ${issue.expected})`;
  }
  return issue.message;
}

function kebab(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function toStory(file: StoryFile): Story {
  const companies: Company[] = file.companies.map((company) => ({
    name: company.name,
    id: company.id ?? kebab(company.name),
    role: company.role,
    ...(company.spokespeople ? { spokespeople: company.spokespeople } : {}),
    aliases: [company.name, ...company.aliases].map((alias) =>
      typeof alias === 'string' ? { text: alias, caseSensitive: false, negativeContexts: [] } : alias,
    ),
  }));
  return {
    slug: file.slug,
    title: file.title,
    summary: file.summary,
    reporting: file.reporting,
    companies,
    vocabulary: file.vocabulary,
    threshold: file.threshold,
    ...(file.since ? { since: file.since } : {}),
    channels: file.channels,
  };
}

export function parseStory(text: string, path: string): Story {
  const file = parseYaml(text, path, storyFileSchema);
  const expectedSlug = path.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  if (file.slug !== expectedSlug) {
    throw new ConfigError(`${path}: slug: "${file.slug}" must equal the file name "${expectedSlug}" (rename one of them)`);
  }
  const seen = new Map<string, string>();
  for (const company of toStory(file).companies) {
    for (const key of [company.id, company.name.toLowerCase()]) {
      const other = seen.get(key);
      if (other && other !== company.name) {
        throw new ConfigError(`${path}: companies: "${company.name}" and "${other}" share the id "${key}" (give one an id)`);
      }
      seen.set(key, company.name);
    }
  }
  return toStory(file);
}

export function loadStories(dir: string, files: ConfigFiles = diskFiles): Story[] {
  let names: string[];
  try {
    names = files.list(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    throw new ConfigError(`${dir}: stories directory not found (create it with one <slug>.yaml per story)`);
  }
  if (names.length === 0) throw new ConfigError(`${dir}: no story files (add one <slug>.yaml per story)`);
  return names.map((name) => {
    const path = join(dir, name);
    return parseStory(readOrFail(files, path, 'story'), path);
  });
}

export interface FeedsConfig {
  contact?: string;
  feeds: Feed[];
}

export function parseFeeds(text: string, path: string, stories: Story[]): FeedsConfig {
  const file = parseYaml(text, path, feedsFileSchema);
  const slugs = new Set(stories.map((story) => story.slug));
  const companyNames = new Map<string, string>();
  for (const story of stories) {
    for (const company of story.companies) {
      companyNames.set(company.name.toLowerCase(), company.name);
      companyNames.set(company.id, company.name);
    }
  }
  const ids = new Set<string>();
  const feeds = file.feeds.map((feed, index): Feed => {
    const field = `feeds.${index}`;
    if (ids.has(feed.id)) throw new ConfigError(`${path}: ${field}.id: "${feed.id}" is used twice (feed ids must be unique)`);
    ids.add(feed.id);
    for (const slug of feed.stories) {
      if (!slugs.has(slug)) {
        throw new ConfigError(`${path}: ${field}.stories: unknown story "${slug}" (known: ${[...slugs].join(', ')})`);
      }
    }
    let company: string | undefined;
    if (feed.company) {
      company = companyNames.get(feed.company.toLowerCase());
      if (!company) {
        throw new ConfigError(`${path}: ${field}.company: "${feed.company}" is not a company of any story (use its name from config/stories)`);
      }
    }
    if (feed.kind === 'newsroom' && !company) {
      throw new ConfigError(`${path}: ${field}.company: a newsroom feed must name the company that owns it`);
    }
    // Relative paths (the offline demo's snapshots) are relative to the feeds file.
    const url = /^[a-z][a-z0-9+.-]*:/i.test(feed.url) || isAbsolute(feed.url) ? feed.url : resolve(dirname(path), feed.url);
    return { ...feed, url, ...(company ? { company } : {}) };
  });
  return { ...(file.contact ? { contact: file.contact } : {}), feeds };
}

export function loadFeeds(path: string, stories: Story[], files: ConfigFiles = diskFiles): FeedsConfig {
  return parseFeeds(readOrFail(files, path, 'feeds file'), path, stories);
}
