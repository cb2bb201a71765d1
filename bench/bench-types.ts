export interface BenchRow {
  name: string;
  median: string;
  baseline?: string;
  ratio?: string;
  target?: string;
  pass?: boolean;
  note?: string;
}
