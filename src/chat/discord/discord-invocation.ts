// A slash command's option values as the core's CommandInvocation args. Pure.
import type { CommandSpec } from '../../core/commands/command-specs.js';

/**
 * Option values in the spec's option order, split on whitespace like Slack's text.
 * An option the usage writes as a keyword (`[resume <feed>]`) keeps its keyword,
 * so `/feeds resume:reuters` reads as `feeds resume reuters` on every platform.
 * Absent options are left out.
 */
export function commandArgs(spec: CommandSpec, values: ReadonlyMap<string, string>): string[] {
  const args: string[] = [];
  for (const option of spec.options) {
    const value = values.get(option.name)?.trim();
    if (!value) continue;
    if (spec.usage.includes(`${option.name} <`)) args.push(option.name);
    args.push(...value.split(/\s+/));
  }
  return args;
}
