import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../../src/config/app-config.js';
import { renderJsonSchemas } from '../../../src/config/json-schema.js';
import { ConfigError, loadStories, parseFeeds, parseStory, type ConfigFiles } from '../../../src/config/load-config.js';

const STORY = `slug: widget-recall
title: Widgets recalled over battery fires
summary: A regulator says Acme widgets overheat.
threshold: 2.5
channels: { slack: C123, discord: "123456789012345678" }
companies:
  - name: Acme Corporation
    id: acme
    role: subject
    aliases: [Acme, { text: ACME, caseSensitive: true, negativeContexts: [looney] }]
  - name: Globex
vocabulary:
  core: [recall, battery fire]
`;

function memoryFiles(files: Record<string, string>): ConfigFiles {
  return {
    read(path) {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    list(dir) {
      const names = Object.keys(files)
        .filter((path) => path.startsWith(`${dir}/`))
        .map((path) => path.slice(dir.length + 1));
      if (names.length === 0 && dir !== 'empty') throw Object.assign(new Error(`ENOENT: ${dir}`), { code: 'ENOENT' });
      return names;
    },
  };
}

function errorOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('story files', () => {
  it('turn into stories with the canonical name as the first alias and defaults filled in', () => {
    const story = parseStory(STORY, 'config/stories/widget-recall.yaml');
    expect(story.slug).toBe('widget-recall');
    expect(story.threshold).toBe(2.5);
    const acme = story.companies[0]!;
    expect(acme).toMatchObject({ name: 'Acme Corporation', id: 'acme', role: 'subject' });
    expect(acme.aliases.map((alias) => alias.text)).toEqual(['Acme Corporation', 'Acme', 'ACME']);
    expect(acme.aliases[2]).toEqual({ text: 'ACME', caseSensitive: true, negativeContexts: ['looney'] });
    expect(story.companies[1]).toMatchObject({ name: 'Globex', id: 'globex', role: 'named' });
    expect(story.vocabulary).toEqual({ core: ['recall', 'battery fire'], related: [], negative: [] });
  });

  it('report a YAML syntax error with the file, line and column', () => {
    const message = errorOf(() => parseStory('slug: x\ntitle: [unclosed\nsummary: y\n', 'stories/x.yaml'));
    expect(message).toMatch(/^stories\/x\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('name the unknown field and its line so a typo is easy to find', () => {
    const message = errorOf(() => parseStory(STORY.replace('threshold: 2.5', 'treshold: 2.5'), 'config/stories/widget-recall.yaml'));
    expect(message).toBe('config/stories/widget-recall.yaml:1: (top level): unknown field "treshold" (check the spelling; see config/schema/)');
  });

  it('say which required field is missing', () => {
    const message = errorOf(() => parseStory(STORY.replace(/^title:.*\n/m, ''), 'config/stories/widget-recall.yaml'));
    expect(message).toMatch(/widget-recall\.yaml:\d+: title: required field is missing/);
  });

  it('explain how to fix a bad value', () => {
    const message = errorOf(() => parseStory(STORY.replace('discord: "123456789012345678"', 'discord: general'), 'config/stories/widget-recall.yaml'));
    expect(message).toMatch(/:5: channels\.discord: use the numeric channel id/);
  });

  it('insist that the slug is the file name', () => {
    expect(errorOf(() => parseStory(STORY, 'config/stories/other.yaml'))).toMatch(/slug: "widget-recall" must equal the file name "other"/);
  });

  it('refuse two companies with the same id', () => {
    const text = STORY.replace('  - name: Globex', '  - name: Globex\n    id: acme');
    expect(errorOf(() => parseStory(text, 'config/stories/widget-recall.yaml'))).toMatch(/share the id "acme"/);
  });

  it('load every story of a directory and fail clearly on an empty one', () => {
    const files = memoryFiles({ 'cfg/stories/widget-recall.yaml': STORY, 'cfg/stories/README.md': 'not a story' });
    expect(loadStories('cfg/stories', files).map((story) => story.slug)).toEqual(['widget-recall']);
    expect(errorOf(() => loadStories('empty', memoryFiles({})))).toMatch(/^empty: no story files/);
  });
});

describe('feeds files', () => {
  const stories = [parseStory(STORY, 'config/stories/widget-recall.yaml')];

  it('resolve company names and aliases and relative snapshot paths', () => {
    const { feeds, contact } = parseFeeds(
      `contact: desk@example.org
feeds:
  - { id: acme-news, kind: newsroom, company: acme, title: Acme News, url: https://acme.example/feed }
  - { id: snapshot, title: Snapshot, url: snap.xml, stories: [widget-recall], intervalMinutes: 10 }
`,
      '/srv/config/feeds.yaml',
      stories,
    );
    expect(contact).toBe('desk@example.org');
    expect(feeds[0]).toMatchObject({ company: 'Acme Corporation', intervalMinutes: 5, stories: [] });
    expect(feeds[1]).toMatchObject({ url: '/srv/config/snap.xml', kind: 'outlet', intervalMinutes: 10 });
  });

  it('reject an unknown story, an unknown company, a newsroom without owner and a duplicate id', () => {
    const feed = (extra: string) => `feeds:\n  - { id: f, title: F, url: https://f.example/rss${extra} }\n`;
    expect(errorOf(() => parseFeeds(feed(', stories: [nope]'), 'feeds.yaml', stories))).toMatch(/feeds\.0\.stories: unknown story "nope"/);
    expect(errorOf(() => parseFeeds(feed(', company: Initech'), 'feeds.yaml', stories))).toMatch(/feeds\.0\.company: "Initech" is not a company/);
    expect(errorOf(() => parseFeeds(feed(', kind: newsroom'), 'feeds.yaml', stories))).toMatch(/must name the company/);
    expect(errorOf(() => parseFeeds(`${feed('')}  - { id: f, title: G, url: https://g.example/rss }\n`, 'feeds.yaml', stories))).toMatch(/"f" is used twice/);
    expect(errorOf(() => parseFeeds(feed(', intervalMinutes: 0'), 'feeds.yaml', stories))).toMatch(/intervalMinutes: poll at most once a minute/);
  });
});

describe('the environment', () => {
  const files = memoryFiles({
    '/cfg/stories/widget-recall.yaml': STORY,
    '/cfg/feeds.yaml': 'feeds: []\n',
    '/cfg/demo/feeds.yaml': 'feeds:\n  - { id: demo, title: Demo, url: demo.xml }\n',
  });

  it('with no chat tokens chooses shell mode and the offline snapshots', () => {
    const config = loadAppConfig({ STORYWATCH_CONFIG_DIR: '/cfg' }, { files });
    expect(config.shell).toBe(true);
    expect(config.feedsFile).toBe('/cfg/demo/feeds.yaml');
    expect(config.http.allowFiles).toBe(true);
    expect(config.logLevel).toBe('warn');
  });

  it('with Slack tokens chooses the live feeds and Socket Mode settings', () => {
    const config = loadAppConfig(
      { STORYWATCH_CONFIG_DIR: '/cfg', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', LOG_LEVEL: 'debug' },
      { files },
    );
    expect(config.shell).toBe(false);
    expect(config.slack).toMatchObject({ botToken: 'xoxb-1', appToken: 'xapp-1' });
    expect(config.feedsFile).toBe('/cfg/feeds.yaml');
    expect(config.logLevel).toBe('debug');
  });

  it('explains a half-configured platform', () => {
    expect(errorOf(() => loadAppConfig({ STORYWATCH_CONFIG_DIR: '/cfg', SLACK_BOT_TOKEN: 'xoxb-1' }, { files }))).toMatch(
      /set SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/,
    );
    expect(errorOf(() => loadAppConfig({ STORYWATCH_CONFIG_DIR: '/cfg', DISCORD_TOKEN: 't' }, { files }))).toMatch(/DISCORD_APPLICATION_ID is missing/);
    expect(errorOf(() => loadAppConfig({ STORYWATCH_CONFIG_DIR: '/cfg', SLACK_BOT_TOKEN: 'xoxp-user' }, { files }))).toMatch(
      /SLACK_BOT_TOKEN: a bot token starts with xoxb-/,
    );
    expect(errorOf(() => loadAppConfig({ STORYWATCH_CONFIG_DIR: '/cfg', REDIS_URL: 'localhost:6379' }, { files }))).toMatch(/REDIS_URL/);
  });

  it('names a missing config directory', () => {
    expect(errorOf(() => loadAppConfig({ STORYWATCH_CONFIG_DIR: '/nowhere' }, { files }))).toMatch(/\/nowhere\/stories: stories directory not found/);
  });
});

describe('the bundled configuration', () => {
  it('loads, in shell mode and with chat tokens', () => {
    const shell = loadAppConfig({});
    expect(shell.stories.map((story) => story.slug)).toContain('facebook-partners');
    expect(shell.feeds.length).toBeGreaterThanOrEqual(3);
    const live = loadAppConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1' });
    expect(live.feeds.some((feed) => feed.kind === 'newsroom')).toBe(true);
    expect(live.feeds.some((feed) => feed.kind === 'search')).toBe(true);
  });

  it('has committed JSON Schemas that match the zod schemas (run npm run schema when this fails)', () => {
    for (const [name, text] of Object.entries(renderJsonSchemas())) {
      expect(readFileSync(`config/schema/${name}`, 'utf8'), `config/schema/${name} is stale: run npm run schema`).toBe(text);
    }
  });
});
