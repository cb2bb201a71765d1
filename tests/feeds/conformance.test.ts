import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase, runConformance } from '../../src/feeds/conformance.js';
import { decodePythonEscapes, evaluate, parseExpression, type Lookup } from '../../src/feeds/python-expect.js';

const entries: Lookup = ({ root, steps }) => {
  if (root !== 'entries') return { known: false };
  const values: Record<string, string> = { '0.title': 'Café', '0.link': 'http://x/', '1.title': 'Café' };
  const key = steps.join('.');
  return key in values || key.endsWith('.title') ? { known: true, value: values[key] } : { known: false };
};

function verdict(source: string) {
  return evaluate(parseExpression(source), entries);
}

describe('Expect expressions', () => {
  it('decodes Python string escapes', () => {
    expect(decodePythonEscapes('Caf\\xe9 \\u00e9 \\U0001F600 \\n \\\\ \\\' \\101', false)).toBe("Café é 😀 \n \\ ' A");
    expect(decodePythonEscapes('a\\nb', true)).toBe('a\\nb');
  });

  it('compares mapped entry fields, with u-prefixed and triple-quoted literals', () => {
    expect(verdict("entries[0]['title'] == u'Caf\\xe9'")).toBe(true);
    expect(verdict(`entries[0]['title'] == """Cafe"""`)).toBe(false);
    expect(verdict("entries[0].link == 'http://x/'")).toBe(true);
  });

  it('leaves unmapped parts out of and/or, and says unknown when nothing is mapped', () => {
    expect(verdict("not bozo and entries[0]['title'] == 'Café'")).toBe(true);
    expect(verdict("bozo and feed['title'] == 'x'")).toBe('unknown');
    expect(verdict("entries[0]['title'] == 'no' or entries[0]['link'] == 'http://x/'")).toBe(true);
    expect(verdict("entries[0]['enclosures'][0] == {'href': 'x'}")).toBe('unknown');
    expect(verdict("entries[0]['updated_parsed'] == (2003, 12, 31)")).toBe('unknown');
  });

  it('handles chained comparisons and is/not', () => {
    expect(verdict("entries[0]['title'] == entries[1]['title'] == 'Café'")).toBe(true);
    expect(verdict("entries[5]['title'] is None")).toBe(true);
    expect(verdict("not entries[0]['title'] == 'Café'")).toBe(false);
  });
});

describe('readCase', () => {
  it('reads the Expect and Header lines of the leading comment', () => {
    const testCase = readCase('f.xml', '<!--\nHeader: Content-Location: http://example.com/\nExpect: not bozo\n-->\n<rss/>');
    expect(testCase).toEqual({ file: 'f.xml', expect: 'not bozo', headers: { 'content-location': 'http://example.com/' } });
  });
});

describe('runConformance', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'storywatch-conformance-'));
    await mkdir(path.join(dir, 'wellformed'), { recursive: true });
    await mkdir(path.join(dir, 'illformed'), { recursive: true });
    const rss = (expect: string, title: string) =>
      `<!--\nExpect: ${expect}\n-->\n<rss version="2.0"><channel><item><title>${title}</title><link>/a</link></item></channel></rss>`;
    await writeFile(path.join(dir, 'wellformed', 'pass.xml'), rss("not bozo and entries[0]['title'] == u'Caf\\xe9'", 'Café'));
    await writeFile(path.join(dir, 'wellformed', 'relative.xml'), rss("entries[0]['link'] == 'http://127.0.0.1:8097/a'", 'x'));
    await writeFile(path.join(dir, 'wellformed', 'fail.xml'), rss("entries[0]['title'] == 'other'", 'x'));
    await writeFile(path.join(dir, 'wellformed', 'unmapped.xml'), rss("feed['title'] == 'x'", 'x'));
    await writeFile(path.join(dir, 'illformed', 'broken.xml'), '<!--\nExpect: bozo\n-->\n<rss><channel><item><title>x</item>');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts mapped assertions, failures, and ill-formed files that gave a reason', async () => {
    const summary = await runConformance(dir);
    expect(summary).toMatchObject({ files: 5, mapped: 3, passed: 2, crashes: [], illformed: { files: 1, withItems: 0, withReason: 1 } });
    expect(summary.failures.map((failure) => failure.file)).toEqual([path.join('wellformed', 'fail.xml')]);
  });
});
