// Aho-Corasick over UTF-16 code units, compiled to a dense transition table over a small alphabet
// (only the characters that occur in patterns; everything else is one "other" symbol). One pass
// over an item finds every pattern of every story, so cost per item barely grows with story count.
// Matching is case-insensitive and treats a hyphen like a space ("data-sharing" = "data sharing");
// callers check word boundaries and exact case where they need them.

import { foldCodeUnit } from '../text/tokens.js';

const SPACE = 32;
const HYPHEN = 45;
const OTHER_SYMBOL = 0;

function canonicalCode(code: number): number {
  const folded = foldCodeUnit(code);
  return folded === HYPHEN ? SPACE : folded;
}

export class PhraseAutomaton {
  private readonly symbolOf = new Uint16Array(65536);
  private readonly alphabetSize: number;
  private readonly delta: Int32Array;
  /** Per state, the pattern ids that end there (own and inherited through failure links). */
  private readonly outputs: (number[] | undefined)[];
  /** 1 where outputs[state] is set: a typed-array test keeps the scanning loop tight. */
  private readonly accepting: Uint8Array;
  private readonly lengths: number[];

  /** @param patterns pattern texts; a pattern's id is its index. Empty patterns never match. */
  constructor(patterns: readonly string[]) {
    let nextSymbol = 1;
    for (const pattern of patterns) {
      for (let i = 0; i < pattern.length; i++) {
        const code = canonicalCode(pattern.charCodeAt(i));
        if (this.symbolOf[code] === OTHER_SYMBOL) this.symbolOf[code] = nextSymbol++;
      }
    }
    this.alphabetSize = nextSymbol;
    // Map every case variant and the hyphen onto the symbol of its folded form.
    for (let code = 0; code < 65536; code++) {
      if (this.symbolOf[code] !== OTHER_SYMBOL) continue;
      const canonical = code < 128 || (code >= 0xc0 && code < 0x2000) ? canonicalCode(code) : code;
      if (canonical !== code) this.symbolOf[code] = this.symbolOf[canonical] ?? OTHER_SYMBOL;
    }

    // Trie.
    const children: Map<number, number>[] = [new Map()];
    const ownOutputs: number[][] = [[]];
    this.lengths = patterns.map((pattern) => pattern.length);
    patterns.forEach((pattern, id) => {
      if (pattern.length === 0) return;
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const symbol = this.symbolOf[canonicalCode(pattern.charCodeAt(i))] ?? OTHER_SYMBOL;
        const node = children[state] as Map<number, number>;
        let next = node.get(symbol);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ownOutputs.push([]);
          node.set(symbol, next);
        }
        state = next;
      }
      (ownOutputs[state] as number[]).push(id);
    });

    // Breadth-first: failure links, then the dense table where a missing edge follows the failure link.
    const stateCount = children.length;
    const size = this.alphabetSize;
    this.delta = new Int32Array(stateCount * size);
    const fail = new Int32Array(stateCount);
    this.outputs = new Array<number[] | undefined>(stateCount).fill(undefined);
    this.accepting = new Uint8Array(stateCount);
    const queue: number[] = [];
    for (const [symbol, child] of children[0] as Map<number, number>) {
      this.delta[symbol] = child;
      fail[child] = 0;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const own = ownOutputs[state] as number[];
      const inherited = this.outputs[fail[state] as number];
      const merged = inherited ? [...own, ...inherited] : own;
      this.outputs[state] = merged.length > 0 ? merged : undefined;
      this.accepting[state] = merged.length > 0 ? 1 : 0;
      const failRow = (fail[state] as number) * size;
      const row = state * size;
      for (let symbol = 0; symbol < size; symbol++) this.delta[row + symbol] = this.delta[failRow + symbol] as number;
      for (const [symbol, child] of children[state] as Map<number, number>) {
        this.delta[row + symbol] = child;
        fail[child] = this.delta[failRow + symbol] as number;
        queue.push(child);
      }
    }
  }

  /** Calls onMatch(patternId, start, end) for every occurrence, overlapping ones included. */
  scan(text: string, onMatch: (patternId: number, start: number, end: number) => void): void {
    const { symbolOf, delta, outputs, lengths, alphabetSize, accepting } = this;
    let state = 0;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      state = delta[state * alphabetSize + (symbolOf[text.charCodeAt(i)] as number)] as number;
      if (accepting[state] === 1) {
        for (const id of outputs[state] as number[]) onMatch(id, i + 1 - (lengths[id] as number), i + 1);
      }
    }
  }

  get stateCount(): number {
    return this.outputs.length;
  }
}
