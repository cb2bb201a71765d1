// The labelled corpus format (see /work/shared/corpus/dev/README.md): one JSON object per line,
// joined to feed entries by link.

export interface ItemLabels {
  story: string | null;
  companies: string[];
  statementBy: string[];
  otherStatementBy: string[];
  kind: string;
}

export interface LabelledItem {
  id: string;
  link: string;
  title: string;
  publishedAt?: string;
  labels: ItemLabels;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Parses labels.jsonl text; a malformed line is an error with its line number. */
export function parseLabels(text: string, source = 'labels.jsonl'): LabelledItem[] {
  const items: LabelledItem[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim().length === 0) return;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${source}:${index + 1}: not JSON (${(error as Error).message})`, { cause: error });
    }
    const labels = (raw.labels ?? {}) as Record<string, unknown>;
    if (typeof raw.link !== 'string') throw new Error(`${source}:${index + 1}: "link" is missing`);
    items.push({
      id: typeof raw.id === 'string' ? raw.id : raw.link,
      link: raw.link,
      title: typeof raw.title === 'string' ? raw.title : '',
      ...(typeof raw.pubDate === 'string' ? { publishedAt: raw.pubDate } : {}),
      labels: {
        story: typeof labels.story === 'string' ? labels.story : null,
        companies: strings(labels.companies),
        statementBy: strings(labels.statement_by),
        otherStatementBy: strings(labels.other_statement_by),
        kind: typeof labels.kind === 'string' ? labels.kind : 'unknown',
      },
    });
  });
  return items;
}
