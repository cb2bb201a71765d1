// eval on the second story's hand-written fixture (tests/unit/matching/fixtures/boeing-737-max): the
// command docs/matching.md gives reads it and scores it, story file and labels from the fixture.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/eval/eval-cli.js';

const FIXTURE = join(import.meta.dirname, '..', 'unit', 'matching', 'fixtures', 'boeing-737-max');

describe('eval on the second story’s fixture', () => {
  it('scores the boeing-737-max story from its own story file, with the figures as JSON', async () => {
    const out: string[] = [];
    const code = await main([FIXTURE, '--stories', join(FIXTURE, 'stories'), '--json'], { log: (t) => out.push(t), error: (t) => out.push(t) });
    expect(code).toBe(0);
    const report = JSON.parse(out.join('\n')) as { story: string; items: number; storywatch: Record<'relevance' | 'statements', { f1: number }>; baseline: Record<'relevance', { f1: number }> };
    expect(report).toMatchObject({ story: 'boeing-737-max', items: 31 });
    expect(report.storywatch.relevance.f1).toBeGreaterThanOrEqual(0.9);
    expect(report.storywatch.statements.f1).toBeGreaterThanOrEqual(0.9);
    // The keyword filter editors use today does worse on the same items.
    expect(report.storywatch.relevance.f1).toBeGreaterThan(report.baseline.relevance.f1);
  });
});
