// Slash command registration: COMMAND_SPECS as Discord application commands.
// A guild registration shows up at once; a global one can take a while to reach every server.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  OAuth2Scopes,
  PermissionFlagsBits,
  Routes,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type APIApplicationCommandStringOption,
} from 'discord.js';
import type { CommandOption, CommandSpec, OptionKind } from '../../core/commands/command-specs.js';

/** Discord caps command and option descriptions at 100 characters. */
const DESCRIPTION_MAX = 100;

/** Option kinds whose values come from our data (stories, companies, feeds): suggested as the user types. */
const AUTOCOMPLETED_KINDS: ReadonlySet<OptionKind> = new Set(['story', 'company', 'feed']);

/** The fixed values of option kinds that have them. */
export const KIND_CHOICES: Partial<Record<OptionKind, readonly string[]>> = { mode: ['dm', 'mention'] };

/** Members who may use admin commands: Discord's "Manage Server". */
export const ADMIN_PERMISSION = PermissionFlagsBits.ManageGuild;

/** What the bot needs in a story channel: see it, post, show embeds, read its own recent posts. */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

function shortDescription(text: string): string {
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1)}…`;
}

function optionPayload(option: CommandOption): APIApplicationCommandStringOption {
  const base = {
    type: ApplicationCommandOptionType.String as const,
    name: option.name,
    description: shortDescription(option.description),
    required: option.required,
  };
  const choices = KIND_CHOICES[option.kind];
  if (choices) return { ...base, choices: choices.map((value) => ({ name: value, value })) };
  if (AUTOCOMPLETED_KINDS.has(option.kind)) return { ...base, autocomplete: true };
  return base;
}

/** The registration body for every command (pure). */
export function buildCommandPayloads(specs: readonly CommandSpec[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return specs.map((spec) => ({
    type: ApplicationCommandType.ChatInput,
    name: spec.name,
    description: shortDescription(spec.description),
    options: spec.options.map(optionPayload),
    // Hidden from members without Manage Server; the adapter refuses them as well.
    default_member_permissions: spec.admin ? ADMIN_PERMISSION.toString() : null,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  }));
}

export interface RegisterTarget {
  applicationId: string;
  /** Registers to this server only (instant); globally when absent. */
  guildId?: string;
}

/** Replaces the application's commands with ours (PUT: commands we no longer have disappear). */
export async function registerCommands(rest: REST, specs: readonly CommandSpec[], target: RegisterTarget): Promise<void> {
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  await rest.put(route, { body: buildCommandPayloads(specs) });
}

/** The URL a server admin opens to add the bot with exactly the permissions it needs. */
export function inviteUrl(applicationId: string, guildId?: string): string {
  const url = new URL('https://discord.com/oauth2/authorize');
  url.searchParams.set('client_id', applicationId);
  url.searchParams.set('scope', [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '));
  url.searchParams.set('permissions', BOT_PERMISSIONS.toString());
  if (guildId) url.searchParams.set('guild_id', guildId);
  return url.toString();
}
