// A slash command's option values as the core's CommandInvocation args. Pure.
// The core reads arguments by position (like typed text), while Discord options are named and
// any optional one may be left out; this file bridges the two.
import type { CommandOption, CommandSpec } from '../../core/commands/command-specs.js';
import { KIND_CHOICES } from './register-commands.js';

export type CommandArgs =
  | { ok: true; args: string[] }
  /** A later option was given without an earlier one its position depends on. */
  | { ok: false; missing: CommandOption; given: CommandOption };

/** Options with fixed choices (dm|mention) are recognised by value, so their position does not matter. */
function readByValue(option: CommandOption): boolean {
  return KIND_CHOICES[option.kind] !== undefined;
}

/**
 * Option values in the spec's option order, one argument per value (a value may hold spaces,
 * like a quoted word). An option the usage writes as a keyword (`[resume <feed>]`) keeps its
 * keyword, so `/feeds resume:reuters` reads as `feeds resume reuters` on every platform.
 */
export function commandArgs(spec: CommandSpec, values: ReadonlyMap<string, string>): CommandArgs {
  const args: string[] = [];
  let firstGap: CommandOption | undefined;
  for (const option of spec.options) {
    const value = values.get(option.name)?.trim();
    if (!value) {
      firstGap ??= option;
      continue;
    }
    if (firstGap && !readByValue(option)) return { ok: false, missing: firstGap, given: option };
    if (spec.usage.includes(`${option.name} <`)) args.push(option.name);
    args.push(value);
  }
  return { ok: true, args };
}
