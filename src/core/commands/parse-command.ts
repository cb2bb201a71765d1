// "/story facebook-partners netflix" typed in a terminal or sent as Slack text → name and arguments.

export interface ParsedCommand {
  name: string;
  args: string[];
}

/** Splits a command line on whitespace; "quoted words" stay together. Returns undefined for non-commands. */
export function parseCommandLine(line: string): ParsedCommand | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('/')) return undefined;
  const tokens = [...trimmed.slice(1).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  const [name, ...args] = tokens;
  if (!name) return undefined;
  return { name: name.toLowerCase(), args };
}

/** Splits the text after a slash command (Slack sends it separately from the name). */
export function splitArguments(text: string): string[] {
  return [...text.trim().matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '').filter(Boolean);
}
