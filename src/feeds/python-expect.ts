// A small reader and evaluator for the `Expect:` lines of feedparser's test feeds: Python
// expressions such as `not bozo and entries[0]['title'] == u'Caf\xe9'`. Only the subset those
// lines use: and/or/not, chained ==/!=, subscripts, attribute access, string/number literals.

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; root: string; steps: (string | number)[] }
  | { kind: 'compare'; operands: Expr[]; operators: Operator[] }
  | { kind: 'not'; operand: Expr }
  | { kind: 'and' | 'or'; operands: Expr[] }
  | { kind: 'call'; text: string };

type Operator = '==' | '!=' | 'in' | 'not in' | 'is' | 'is not';

type Token =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'name'; value: string }
  | { type: 'op'; value: string };

export class ExpressionError extends Error {}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/** Decodes the body of a Python string literal (between its quotes). */
export function decodePythonEscapes(body: string, raw: boolean): string {
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i] as string;
    if (ch !== '\\' || i === body.length - 1) {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 1;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new ExpressionError(`bad \\${next} escape`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + width;
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '0';
      out += String.fromCodePoint(parseInt(octal, 8));
      i += octal.length;
    } else {
      out += ch; // Python keeps unknown escapes as written.
    }
  }
  return out;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const stringStart = /^([uUbBrR]{0,2})('''|"""|'|")/.exec(rest);
    if (stringStart) {
      const prefix = (stringStart[1] ?? '').toLowerCase();
      const quote = stringStart[2] as string;
      let j = stringStart[0].length;
      let body = '';
      for (;;) {
        if (j >= rest.length) throw new ExpressionError('unterminated string');
        if (rest.startsWith(quote, j)) break;
        if (rest[j] === '\\' && j + 1 < rest.length) {
          body += rest.slice(j, j + 2);
          j += 2;
        } else {
          body += rest[j];
          j += 1;
        }
      }
      tokens.push({ type: 'string', value: decodePythonEscapes(body, prefix.includes('r')) });
      i += j + quote.length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_]\w*/.exec(rest);
    if (name) {
      tokens.push({ type: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|[[\]{}().,<>:])/.exec(rest);
    if (op) {
      tokens.push({ type: 'op', value: op[0] });
      i += op[0].length;
      continue;
    }
    throw new ExpressionError(`unexpected character ${JSON.stringify(rest[0])}`);
  }
  return tokens;
}

/** Parses an Expect expression; calls and other constructs outside the subset become 'call' nodes. */
export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isOp = (value: string): boolean => peek()?.type === 'op' && peek()?.value === value;
  const isName = (value: string): boolean => peek()?.type === 'name' && peek()?.value === value;

  function parseOr(): Expr {
    const operands = [parseAnd()];
    while (isName('or')) {
      position += 1;
      operands.push(parseAnd());
    }
    return operands.length === 1 ? (operands[0] as Expr) : { kind: 'or', operands };
  }

  function parseAnd(): Expr {
    const operands = [parseNot()];
    while (isName('and')) {
      position += 1;
      operands.push(parseNot());
    }
    return operands.length === 1 ? (operands[0] as Expr) : { kind: 'and', operands };
  }

  function parseNot(): Expr {
    if (isName('not')) {
      position += 1;
      return { kind: 'not', operand: parseNot() };
    }
    return parseComparison();
  }

  function parseComparison(): Expr {
    const operands = [parseOperand()];
    const operators: Operator[] = [];
    for (;;) {
      if (isOp('==') || isOp('!=')) {
        operators.push(peek()?.value as '==' | '!=');
        position += 1;
      } else if (isName('is')) {
        const negated = tokens[position + 1]?.type === 'name' && tokens[position + 1]?.value === 'not';
        operators.push(negated ? 'is not' : 'is');
        position += negated ? 2 : 1;
      } else if (isName('in')) {
        operators.push('in');
        position += 1;
      } else if (isName('not') && tokens[position + 1]?.type === 'name' && tokens[position + 1]?.value === 'in') {
        operators.push('not in');
        position += 2;
      } else {
        break;
      }
      operands.push(parseOperand());
    }
    return operators.length === 0 ? (operands[0] as Expr) : { kind: 'compare', operands, operators };
  }

  function skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      const token = tokens[position];
      if (!token) throw new ExpressionError('unbalanced brackets');
      if (token.type === 'op' && token.value === open) depth += 1;
      if (token.type === 'op' && token.value === close) depth -= 1;
      position += 1;
    } while (depth > 0);
  }

  function parseOperand(): Expr {
    const token = peek();
    if (!token) throw new ExpressionError('unexpected end');
    if (token.type === 'op' && token.value === '(') {
      const start = position;
      position += 1;
      const inner = parseOr();
      if (isOp(')')) {
        position += 1;
        return inner;
      }
      // A tuple: a value we never map.
      position = start;
      skipBalanced('(', ')');
      return { kind: 'call', text: 'tuple' };
    }
    if (token.type === 'op' && (token.value === '[' || token.value === '{')) {
      skipBalanced(token.value, token.value === '[' ? ']' : '}');
      return { kind: 'call', text: token.value === '[' ? 'list' : 'dict' };
    }
    if (token.type === 'string') {
      position += 1;
      let value = token.value;
      // Adjacent literals concatenate, as in Python.
      while (peek()?.type === 'string') value += (tokens[position++] as { value: string }).value;
      return { kind: 'literal', value };
    }
    if (token.type === 'number') {
      position += 1;
      return { kind: 'literal', value: token.value };
    }
    if (token.type === 'name') {
      position += 1;
      if (token.value === 'None') return { kind: 'literal', value: null };
      if (token.value === 'True') return { kind: 'literal', value: true };
      if (token.value === 'False') return { kind: 'literal', value: false };
      const start = position - 1;
      const steps: (string | number)[] = [];
      let isCall = false;
      for (;;) {
        if (isOp('[')) {
          const key = tokens[position + 1];
          if ((key?.type === 'string' || key?.type === 'number') && tokens[position + 2]?.type === 'op' && tokens[position + 2]?.value === ']') {
            steps.push(key.value);
            position += 3;
          } else {
            skipBalanced('[', ']');
            isCall = true;
          }
        } else if (isOp('.') && tokens[position + 1]?.type === 'name') {
          steps.push((tokens[position + 1] as { value: string }).value);
          position += 2;
        } else if (isOp('(')) {
          skipBalanced('(', ')');
          isCall = true;
        } else {
          break;
        }
      }
      if (isCall) {
        const text = tokens.slice(start, position).map((t) => (t.type === 'string' ? JSON.stringify(t.value) : String(t.value))).join('');
        return { kind: 'call', text };
      }
      return { kind: 'path', root: token.value, steps };
    }
    throw new ExpressionError(`unexpected "${token.value}"`);
  }

  const expression = parseOr();
  if (position !== tokens.length) throw new ExpressionError(`unexpected "${String(peek()?.value)}"`);
  return expression;
}

/** What a path resolves to: a value, or "not something we check". */
export type Lookup = (path: { root: string; steps: (string | number)[] }) => { known: true; value: unknown } | { known: false };

/** Three-valued result: assertions we do not check are 'unknown' and left out of and/or. */
export type Verdict = boolean | 'unknown';

function equal(a: unknown, b: unknown): boolean {
  return a === b || (a === undefined && b === null) || (a === null && b === undefined);
}

export function evaluate(expression: Expr, lookup: Lookup): Verdict {
  switch (expression.kind) {
    case 'literal':
      return 'unknown';
    case 'call':
      return 'unknown';
    case 'path':
      return 'unknown';
    case 'not': {
      const inner = evaluate(expression.operand, lookup);
      return inner === 'unknown' ? 'unknown' : !inner;
    }
    case 'and':
    case 'or': {
      const known = expression.operands.map((operand) => evaluate(operand, lookup)).filter((v): v is boolean => v !== 'unknown');
      if (known.length === 0) return 'unknown';
      return expression.kind === 'and' ? known.every(Boolean) : known.some(Boolean);
    }
    case 'compare': {
      const values = expression.operands.map((operand) => {
        if (operand.kind === 'literal') return { known: true as const, value: operand.value };
        if (operand.kind === 'path') return lookup(operand);
        return { known: false as const };
      });
      let result: Verdict = 'unknown';
      for (let i = 0; i < expression.operators.length; i += 1) {
        const left = values[i];
        const right = values[i + 1];
        const operator = expression.operators[i];
        // A comparison is ours only if one side is a value we map and the other is known too.
        const touchesMapped = [expression.operands[i], expression.operands[i + 1]].some((operand) => operand?.kind === 'path');
        if (!left?.known || !right?.known || !touchesMapped) return 'unknown';
        let holds: boolean;
        if (operator === '==' || operator === 'is') holds = equal(left.value, right.value);
        else if (operator === '!=' || operator === 'is not') holds = !equal(left.value, right.value);
        else {
          const haystack = right.value;
          const contained = typeof haystack === 'string' && typeof left.value === 'string' ? haystack.includes(left.value) : false;
          holds = operator === 'in' ? contained : !contained;
        }
        result = result === 'unknown' ? holds : result && holds;
      }
      return result;
    }
  }
}
