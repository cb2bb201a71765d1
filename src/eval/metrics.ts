// Precision, recall and F1 over sets of predicted and expected keys.

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export function scoreSets(predicted: ReadonlySet<string>, expected: ReadonlySet<string>): Scores {
  let truePositives = 0;
  for (const key of predicted) if (expected.has(key)) truePositives++;
  const falsePositives = predicted.size - truePositives;
  const falseNegatives = expected.size - truePositives;
  // With nothing to find and nothing found, the matcher did its job: count that as perfect.
  const precision = predicted.size === 0 ? (expected.size === 0 ? 1 : 0) : truePositives / predicted.size;
  const recall = expected.size === 0 ? 1 : truePositives / expected.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePositives, falsePositives, falseNegatives };
}

export function pairKey(itemId: string, company: string): string {
  return `${itemId}\u0000${company}`;
}

export function splitPairKey(key: string): { itemId: string; company: string } {
  const [itemId = '', company = ''] = key.split('\u0000');
  return { itemId, company };
}
