// `npm run eval -- DIR`: replays DIR/feeds through the matcher (the same path as `replay`), scores
// it against DIR/labels.jsonl next to the keyword baseline, and lists the errors with their reasons.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replayInputs } from '../app/replay.js';
import { loadStories } from '../config/load-config.js';
import { createMatcher, type ExplainingMatcher, type Matcher, type StoryAssessment } from '../core/matching/match-item.js';
import type { Story, StoryMatch } from '../core/model.js';
import { bestThreshold, evaluate, splitInHalves, type ErrorCase, type Evaluation, type Prediction } from './evaluate.js';
import { createKeywordBaseline } from './keyword-baseline.js';
import { parseLabels, type LabelledItem } from './labels.js';
import type { Scores } from './metrics.js';

const USAGE = `usage: storywatch eval DIR [--stories DIR] [--story SLUG] [--errors N|all] [--json]

  DIR holds feeds/ (feed files) and labels.jsonl (one labelled item per line, joined by link).
  --stories DIR   story configs to load (default: config/stories)
  --story SLUG    the story to score (default: every configured story the labels name)
  --errors N      how many errors of each kind to list (default: all)
  --json          print the figures as JSON instead of tables`;

interface EvalOptions {
  dir: string;
  storiesDir: string;
  story?: string;
  errorLimit: number;
  json: boolean;
}

function parseArgs(argv: string[]): EvalOptions | string {
  let dir: string | undefined;
  let storiesDir = 'config/stories';
  let story: string | undefined;
  let errorLimit = Number.POSITIVE_INFINITY;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--stories') storiesDir = value();
    else if (arg === '--story') story = value();
    else if (arg === '--errors') {
      const raw = value();
      errorLimit = raw === 'all' ? Number.POSITIVE_INFINITY : Number.parseInt(raw, 10);
      if (!Number.isFinite(errorLimit) && raw !== 'all') return `--errors takes a number or "all"`;
    } else if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') return USAGE;
    else if (arg.startsWith('-')) return `unknown option ${arg}\n${USAGE}`;
    else if (dir === undefined) dir = arg;
    else return `one DIR only\n${USAGE}`;
  }
  if (dir === undefined) return USAGE;
  return { dir, storiesDir, ...(story ? { story } : {}), errorLimit, json };
}

/** The stories the labels name, the most labelled first. */
function labelledStories(items: readonly LabelledItem[]): string[] {
  const counts = new Map<string, number>();
  for (const item of items) if (item.labels.story) counts.set(item.labels.story, (counts.get(item.labels.story) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([slug]) => slug);
}

/** Runs a matcher over the feeds through replay and pairs what it said with the labels. */
async function predict(
  feedsDir: string,
  labels: readonly LabelledItem[],
  story: string,
  matcher: Matcher | ExplainingMatcher,
): Promise<{ predictions: Prediction[]; failures: string[]; unlabelled: number }> {
  const assessed = new Map<string, StoryAssessment>();
  // Replay calls match(); an explaining matcher also keeps what it thought of every item.
  const recordingMatcher: Matcher =
    'assess' in matcher
      ? {
          match(item, feed) {
            const assessments = matcher.assess(item, feed);
            const mine = assessments.find((a) => a.story === story);
            if (mine && item.link) assessed.set(item.link, mine);
            return assessments.filter((a) => a.matched && a.match).map((a) => a.match as StoryMatch);
          },
        }
      : matcher;
  const { records, failures } = await replayInputs([feedsDir], { matcher: recordingMatcher });
  const byLink = new Map(labels.map((item) => [item.link, item]));
  const seen = new Set<string>();
  const predictions: Prediction[] = [];
  let unlabelled = 0;
  for (const record of records) {
    const item = record.link ? byLink.get(record.link) : undefined;
    if (!item || seen.has(item.id)) {
      if (!item) unlabelled++;
      continue;
    }
    seen.add(item.id);
    const assessment = record.link ? assessed.get(record.link) : undefined;
    const match = assessment?.match ?? record.matches.find((m) => m.story === story);
    const why = assessment?.why ?? match?.why ?? 'names none of the story\'s companies';
    predictions.push({ item, ...(match ? { match } : {}), score: assessment?.score ?? match?.score ?? 0, why });
  }
  for (const item of labels) {
    if (!seen.has(item.id)) predictions.push({ item, score: 0, why: 'not found in any feed file' });
  }
  return { predictions, failures: failures.map((f) => `${f.input}: ${f.error}`), unlabelled };
}

function fmt(value: number): string {
  return value.toFixed(3);
}

function scoresRow(label: string, ours: Scores, baseline: Scores): string {
  const cells = (s: Scores): string => `${fmt(s.precision)}  ${fmt(s.recall)}  ${fmt(s.f1)}   (tp ${s.truePositives}, fp ${s.falsePositives}, fn ${s.falseNegatives})`;
  return `  ${label.padEnd(12)} ${cells(ours).padEnd(48)} ${cells(baseline)}`;
}

function listErrors(title: string, errors: readonly ErrorCase[], limit: number): string[] {
  if (errors.length === 0) return [];
  const lines = [`\n${title} (${errors.length}):`];
  for (const error of errors.slice(0, limit)) {
    lines.push(`  - ${error.company ? `[${error.company}] ` : ''}${error.title}`);
    if (error.detail) lines.push(`      ${error.detail}`);
  }
  if (errors.length > limit) lines.push(`  … ${errors.length - limit} more`);
  return lines;
}

interface CrossValidation {
  folds: { tunedThreshold: number; tuneF1: number; heldOut: Evaluation }[];
}

function crossValidate(story: string, predictions: readonly Prediction[]): CrossValidation {
  const [a, b] = splitInHalves(predictions);
  const fold = (tune: Prediction[], test: Prediction[]) => {
    const tunedThreshold = bestThreshold(story, tune);
    const isMatch = (p: Prediction): boolean => p.match !== undefined && p.score >= tunedThreshold;
    return { tunedThreshold, tuneF1: evaluate(story, tune, isMatch).relevance.f1, heldOut: evaluate(story, test, isMatch) };
  };
  return { folds: [fold(a, b), fold(b, a)] };
}

/** Where eval writes: the console by default, a recorder in tests. */
export interface EvalOutput {
  log(text: string): void;
  error(text: string): void;
}

export async function main(argv: string[], output: EvalOutput = console): Promise<number> {
  let options: EvalOptions | string;
  try {
    options = parseArgs(argv);
  } catch (error) {
    options = `${(error as Error).message}\n${USAGE}`;
  }
  if (typeof options === 'string') {
    const askedForHelp = argv.some((a) => a === '--help' || a === '-h');
    if (askedForHelp) output.log(options);
    else output.error(options);
    return askedForHelp ? 0 : 2;
  }
  let labels: LabelledItem[];
  let stories: Story[];
  try {
    labels = parseLabels(await readFile(join(options.dir, 'labels.jsonl'), 'utf8'), join(options.dir, 'labels.jsonl'));
    stories = loadStories(options.storiesDir);
  } catch (error) {
    output.error(`eval: ${(error as Error).message}`);
    return 2;
  }
  const labelled = labelledStories(labels);
  const slugs = options.story ? [options.story] : labelled.filter((slug) => stories.some((s) => s.slug === slug));
  const missing = options.story ? slugs.filter((slug) => !stories.some((s) => s.slug === slug)) : labelled.filter((slug) => !slugs.includes(slug));
  if (slugs.length === 0 || (options.story && missing.length > 0)) {
    const wanted = missing[0] ?? labelled[0] ?? '?';
    output.error(`eval: story "${wanted}" is not in ${options.storiesDir} (stories: ${stories.map((s) => s.slug).join(', ')})`);
    return 2;
  }
  const reports: StoryReport[] = [];
  for (const slug of slugs) reports.push(await evaluateStory(options, labels, stories, slug));
  if (options.json) {
    const json = reports.map((report) => report.json);
    output.log(JSON.stringify(json.length === 1 ? json[0] : json, null, 2));
    return 0;
  }
  const notes = missing.map((slug) => `(labels name the story "${slug}", which is not in ${options.storiesDir}: not scored)`);
  output.log([...notes, ...reports.map((report) => report.text)].join('\n\n'));
  return 0;
}

interface StoryReport {
  text: string;
  json: unknown;
}

/** Scores one story: its figures next to the baseline, the held-out check and the errors. */
async function evaluateStory(options: EvalOptions, labels: LabelledItem[], stories: Story[], slug: string): Promise<StoryReport> {
  const story = stories.find((s) => s.slug === slug) as Story;
  // One run that scores every item (and works out statements even below the threshold): the
  // configured threshold then decides, and cross-validation can try others without re-running.
  const feedsDir = join(options.dir, 'feeds');
  const ours = await predict(feedsDir, labels, slug, createMatcher(stories, { assessBelowThreshold: true }));
  const configured = (p: Prediction): boolean => p.match !== undefined && p.score >= story.threshold;
  const evaluation = evaluate(slug, ours.predictions, configured);
  const baseline = await predict(feedsDir, labels, slug, createKeywordBaseline(stories));
  const baselineEvaluation = evaluate(slug, baseline.predictions);
  const cv = crossValidate(slug, ours.predictions);
  const json = { story: slug, threshold: story.threshold, items: labels.length, storywatch: evaluation, baseline: baselineEvaluation, crossValidation: cv };

  const lines: string[] = [];
  lines.push(`eval ${options.dir}: story "${slug}", threshold ${story.threshold}, ${labels.length} labelled items, ${ours.predictions.filter((p) => p.item.labels.story === slug).length} on the story`);
  for (const failure of ours.failures) lines.push(`  ! feed not read: ${failure}`);
  if (ours.unlabelled > 0) lines.push(`  (${ours.unlabelled} feed items have no label and are not scored)`);
  lines.push('');
  lines.push(`  ${''.padEnd(12)} ${'storywatch: P      R      F1'.padEnd(48)} keyword baseline: P      R      F1`);
  lines.push(scoresRow('relevance', evaluation.relevance, baselineEvaluation.relevance));
  lines.push(scoresRow('statements', evaluation.statements, baselineEvaluation.statements));
  lines.push(scoresRow('companies', evaluation.companies, baselineEvaluation.companies));
  lines.push('');
  lines.push('Held-out check: threshold tuned on one half of the items (stable hash of the id), measured on the other:');
  cv.folds.forEach((fold, index) => {
    const h = fold.heldOut;
    lines.push(`  fold ${index + 1}: tuned threshold ${fold.tunedThreshold} (tuning F1 ${fmt(fold.tuneF1)}) → held-out relevance F1 ${fmt(h.relevance.f1)} (P ${fmt(h.relevance.precision)}, R ${fmt(h.relevance.recall)}), statements F1 ${fmt(h.statements.f1)} (P ${fmt(h.statements.precision)}, R ${fmt(h.statements.recall)})`);
  });
  const limit = options.errorLimit;
  lines.push(...listErrors('Relevance false positives (matched, but labelled not on the story)', evaluation.errors.relevanceFalsePositives, limit));
  lines.push(...listErrors('Relevance false negatives (on the story, not matched)', evaluation.errors.relevanceFalseNegatives, limit));
  lines.push(...listErrors('Statement false positives (attributed, not labelled)', evaluation.errors.statementFalsePositives, limit));
  lines.push(...listErrors('Statement false negatives (labelled, not attributed)', evaluation.errors.statementFalseNegatives, limit));
  return { text: lines.join('\n'), json };
}
