import { describe, expect, it } from 'vitest';
import { bestThreshold, evaluate, splitInHalves, type Prediction } from '../../src/eval/evaluate.js';
import type { LabelledItem } from '../../src/eval/labels.js';

function labelled(id: string, story: string | null, companies: string[] = [], statementBy: string[] = []): LabelledItem {
  return { id, link: `https://example.test/${id}`, title: `Item ${id}`, labels: { story, companies, statementBy, otherStatementBy: [], kind: story ? 'positive' : 'hard-negative' } };
}

function predicted(item: LabelledItem, score: number, companies: string[] = [], statements: string[] = []): Prediction {
  return {
    item,
    score,
    why: `score ${score}`,
    match: { story: 's', score, companies, statements: statements.map((company) => ({ company, quote: 'q', stance: 'other' as const })), why: `score ${score}` },
  };
}

describe('evaluate', () => {
  const predictions: Prediction[] = [
    predicted(labelled('1', 's', ['A', 'B'], ['A']), 6, ['A', 'B'], ['A']),
    predicted(labelled('2', 's', ['A'], ['A']), 2, ['A'], []),
    predicted(labelled('3', null), 5, ['A'], ['A']),
    { item: labelled('4', null), score: 0, why: 'names none' },
  ];

  it('scores relevance per item and statements and companies per (item, company) pair', () => {
    const result = evaluate('s', predictions, (p) => p.score >= 4);
    expect(result.relevance).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 1 });
    expect(result.statements).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 1 });
    expect(result.companies).toMatchObject({ truePositives: 2, falsePositives: 1, falseNegatives: 1 });
  });

  it('lists each error with the item title and the reason', () => {
    const { errors } = evaluate('s', predictions, (p) => p.score >= 4);
    expect(errors.relevanceFalsePositives.map((e) => e.title)).toEqual(['Item 3']);
    expect(errors.relevanceFalseNegatives[0]).toMatchObject({ title: 'Item 2', detail: expect.stringContaining('below the threshold') });
    expect(errors.statementFalseNegatives[0]).toMatchObject({ company: 'A', detail: 'item not matched' });
  });

  it('finds the threshold that maximises relevance F1, in the middle of the range that does', () => {
    // Scores 2 (on the story), 5 (not) and 6 (on the story): any threshold up to 2 gives F1 0.8,
    // the best here; the middle of (1, 2] is 1.5.
    expect(bestThreshold('s', predictions)).toBe(1.5);
  });

  it('splits items into two stable halves', () => {
    const [a, b] = splitInHalves(predictions);
    expect(a.length + b.length).toBe(predictions.length);
    expect(splitInHalves(predictions)[0].map((p) => p.item.id)).toEqual(a.map((p) => p.item.id));
  });
});
