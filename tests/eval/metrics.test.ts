import { describe, expect, it } from 'vitest';
import { pairKey, scoreSets, splitPairKey } from '../../src/eval/metrics.js';

describe('scoreSets', () => {
  it('computes precision, recall and F1 from predicted and expected keys', () => {
    const scores = scoreSets(new Set(['a', 'b', 'c', 'd']), new Set(['a', 'b', 'e']));
    expect(scores).toMatchObject({ truePositives: 2, falsePositives: 2, falseNegatives: 1, precision: 0.5 });
    expect(scores.recall).toBeCloseTo(2 / 3);
    expect(scores.f1).toBeCloseTo(4 / 7);
  });

  it('scores predicting nothing as zero precision when there was something to find', () => {
    expect(scoreSets(new Set(), new Set(['a']))).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('scores an empty run on an empty set as perfect', () => {
    expect(scoreSets(new Set(), new Set())).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });
});

describe('pair keys', () => {
  it('round-trips an (item, company) pair', () => {
    expect(splitPairKey(pairKey('item-1', 'Royal Bank of Canada'))).toEqual({ itemId: 'item-1', company: 'Royal Bank of Canada' });
  });
});
