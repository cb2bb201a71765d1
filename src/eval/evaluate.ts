// Scores a run of the matcher (and of the keyword baseline) against labels: relevance per item,
// statement attribution and companies per (item, company) pair, and the errors behind the numbers.

import type { StoryMatch } from '../core/model.js';
import type { LabelledItem } from './labels.js';
import { pairKey, scoreSets, splitPairKey, type Scores } from './metrics.js';

/** What a matcher said about one labelled item. */
export interface Prediction {
  item: LabelledItem;
  /** The match for the evaluated story, if any. */
  match?: StoryMatch;
  /** The relevance score even when it did not match (for threshold tuning), and why not. */
  score: number;
  why: string;
}

export interface ErrorCase {
  itemId: string;
  title: string;
  company?: string;
  detail: string;
}

export interface Evaluation {
  relevance: Scores;
  statements: Scores;
  companies: Scores;
  errors: {
    relevanceFalsePositives: ErrorCase[];
    relevanceFalseNegatives: ErrorCase[];
    statementFalsePositives: ErrorCase[];
    statementFalseNegatives: ErrorCase[];
  };
}

/** Scores predictions for one story; `isMatch` lets threshold tuning re-decide without re-running. */
export function evaluate(story: string, predictions: readonly Prediction[], isMatch: (p: Prediction) => boolean = (p) => p.match !== undefined): Evaluation {
  const predictedItems = new Set<string>();
  const expectedItems = new Set<string>();
  const predictedStatements = new Set<string>();
  const expectedStatements = new Set<string>();
  const predictedCompanies = new Set<string>();
  const expectedCompanies = new Set<string>();
  const byId = new Map(predictions.map((p) => [p.item.id, p]));

  for (const prediction of predictions) {
    const { item } = prediction;
    const relevant = item.labels.story === story;
    if (relevant) {
      expectedItems.add(item.id);
      for (const company of item.labels.companies) expectedCompanies.add(pairKey(item.id, company));
      for (const company of item.labels.statementBy) expectedStatements.add(pairKey(item.id, company));
    }
    if (prediction.match && isMatch(prediction)) {
      predictedItems.add(item.id);
      for (const company of prediction.match.companies) predictedCompanies.add(pairKey(item.id, company));
      for (const statement of prediction.match.statements) predictedStatements.add(pairKey(item.id, statement.company));
    }
  }

  const describe = (id: string): { title: string; prediction: Prediction | undefined } => {
    const prediction = byId.get(id);
    return { title: prediction?.item.title ?? id, prediction };
  };
  const relevanceFalsePositives = [...predictedItems].filter((id) => !expectedItems.has(id)).map((id) => {
    const { title, prediction } = describe(id);
    return { itemId: id, title, detail: `${prediction?.item.labels.kind ?? ''}: ${prediction?.match?.why ?? ''}` };
  });
  const relevanceFalseNegatives = [...expectedItems].filter((id) => !predictedItems.has(id)).map((id) => {
    const { title, prediction } = describe(id);
    return { itemId: id, title, detail: prediction?.match ? `score ${prediction.score} below the threshold: ${prediction.why}` : (prediction?.why ?? 'not in any feed') };
  });
  const statementFalsePositives = [...predictedStatements].filter((key) => !expectedStatements.has(key)).map((key) => {
    const { itemId, company } = splitPairKey(key);
    const { title, prediction } = describe(itemId);
    const statement = prediction?.match?.statements.find((s) => s.company === company);
    return { itemId, title, company, detail: `from "${statement?.cue ?? ''}": ${statement?.quote ?? ''}` };
  });
  const statementFalseNegatives = [...expectedStatements].filter((key) => !predictedStatements.has(key)).map((key) => {
    const { itemId, company } = splitPairKey(key);
    const { title } = describe(itemId);
    return { itemId, title, company, detail: predictedItems.has(itemId) ? 'no attribution cue found' : 'item not matched' };
  });

  return {
    relevance: scoreSets(predictedItems, expectedItems),
    statements: scoreSets(predictedStatements, expectedStatements),
    companies: scoreSets(predictedCompanies, expectedCompanies),
    errors: { relevanceFalsePositives, relevanceFalseNegatives, statementFalsePositives, statementFalseNegatives },
  };
}

/** Two halves by a stable hash of the item id, for tuning on one and measuring on the other. */
export function splitInHalves<T extends { item: LabelledItem }>(predictions: readonly T[]): [T[], T[]] {
  const halves: [T[], T[]] = [[], []];
  for (const prediction of predictions) {
    let hash = 2166136261;
    for (let i = 0; i < prediction.item.id.length; i++) hash = Math.imul(hash ^ prediction.item.id.charCodeAt(i), 16777619);
    halves[(hash >>> 0) % 2 === 0 ? 0 : 1].push(prediction);
  }
  return halves;
}

/**
 * The threshold that maximises relevance F1 on the predictions given. Where a range of thresholds
 * does equally well, the middle of the range: the widest margin either side for unseen items.
 */
export function bestThreshold(story: string, predictions: readonly Prediction[]): number {
  const scores = [...new Set(predictions.filter((p) => p.match).map((p) => p.score))].sort((a, b) => a - b);
  if (scores.length === 0) return 0;
  // Any threshold in (scores[i - 1], scores[i]] decides exactly like scores[i].
  const f1s = scores.map((threshold) => evaluate(story, predictions, (p) => p.match !== undefined && p.score >= threshold).relevance.f1);
  const best = Math.max(...f1s);
  const first = f1s.indexOf(best);
  let last = first;
  while (last + 1 < f1s.length && f1s[last + 1] === best) last++;
  const lower = first > 0 ? (scores[first - 1] as number) : (scores[first] as number) - 1;
  return (lower + (scores[last] as number)) / 2;
}
