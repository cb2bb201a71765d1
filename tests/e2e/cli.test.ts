// The CLI as a user runs it: a child process, its output and its exit code.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let scratch: string;

async function storywatch(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/storywatch.mjs', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: scratch, STORYWATCH_DATA_DIR: join(scratch, 'data'), ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'storywatch-cli-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('storywatch run --once', () => {
  it('runs one poll cycle on the snapshots, prints what it posted and exits 0', async () => {
    const { code, stdout } = await storywatch(['run', '--once']);
    expect(code).toBe(0);
    expect(stdout).toContain('shell mode');
    expect(stdout).toMatch(/\[#facebook-partners\] Netflix says it never accessed Facebook users' private messages\n\*Netflix denies\*/);
    expect(stdout).toMatch(/one poll cycle: 4 feeds polled \(0 failed\), 11 new items, \d+ updates, \d+ messages posted/);
  });
});

describe('storywatch replay', () => {
  it('prints one JSON object per item, in input order, with exactly the documented keys', async () => {
    const { code, stdout } = await storywatch(['replay', '--json', 'config/demo']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(11);
    for (const line of lines) expect(Object.keys(line)).toEqual(['feed', 'link', 'guid', 'title', 'matches']);
    const netflix = lines.find((line) => String(line.title).startsWith('Netflix says'))!;
    const [match] = netflix.matches as Record<string, unknown>[];
    expect(Object.keys(match!)).toEqual(['story', 'score', 'companies', 'statements', 'why']);
    expect(match).toMatchObject({ story: 'facebook-partners', statements: [{ company: 'Netflix', stance: 'denies' }] });
    expect(Object.keys((match!.statements as object[])[0]!)).toEqual(['company', 'quote', 'stance']);
    expect(lines.find((line) => String(line.title).includes('Wrapped'))!.matches).toEqual([]);
  });

  it('keeps only the chosen story and refuses an unknown one', async () => {
    expect((await storywatch(['replay', '--story', 'facebook-partners', 'config/demo/techradar.xml'])).code).toBe(0);
    const unknown = await storywatch(['replay', '--story', 'nope', 'config/demo']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('storywatch: unknown story "nope" (known: facebook-partners)');
  });

  it('reports an unreadable or malformed feed file in one line and exits non-zero, after replaying the rest', async () => {
    const html = join(scratch, 'page.xml');
    writeFileSync(html, '<!doctype html><html><body>Not a feed</body></html>');
    const { code, stdout, stderr } = await storywatch(['replay', '--json', html, join(scratch, 'missing.xml'), 'config/demo/cbc-business.xml']);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr.trim().split('\n')).toEqual([
      `storywatch: ${html}: not a feed: got an HTML page`,
      `storywatch: ${join(scratch, 'missing.xml')}: no such file or directory`,
    ]);
  });
});

describe('clear errors', () => {
  it('an invalid story file stops the bot with the file, line, field and fix', async () => {
    const config = join(scratch, 'bad-config');
    mkdirSync(join(config, 'stories'), { recursive: true });
    writeFileSync(join(config, 'stories', 'x.yaml'), 'slug: x\ntitle: X\nsummary: S\ncompanies:\n  - name: A\n    aliass: [B]\n');
    const { code, stderr } = await storywatch(['run', '--once'], { STORYWATCH_CONFIG_DIR: config });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`storywatch: ${join(config, 'stories', 'x.yaml')}:5: companies.0: unknown field "aliass" (check the spelling; see config/schema/)`);
  });

  it('an unknown command exits 2 with a pointer to help', async () => {
    const { code, stderr } = await storywatch(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('storywatch: unknown command "frobnicate" (run "storywatch help")');
  });

  it('check-config summarises a valid configuration', async () => {
    const { code, stdout } = await storywatch(['check-config']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^config ok: 1 stories \(facebook-partners\), 4 feeds/);
  });
});
