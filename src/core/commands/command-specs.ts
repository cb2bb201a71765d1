// The slash commands, described once for every platform (Slack manifest, Discord registration, /help).

export type OptionKind = 'story' | 'company' | 'feed' | 'mode';

export interface CommandOption {
  name: string;
  description: string;
  kind: OptionKind;
  required: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  /** Usage hint after the command name, as Slack shows it. */
  usage: string;
  options: CommandOption[];
  /** Changes shared state: limited to admins (Discord: Manage Server). */
  admin: boolean;
}

export const COMMAND_SPECS: readonly CommandSpec[] = [
  {
    name: 'story',
    description: 'Tracked stories; with a story, who has responded, what they said and who is silent',
    usage: '[story] [company]',
    options: [
      { name: 'story', description: 'Story slug, e.g. facebook-partners', kind: 'story', required: false },
      { name: 'company', description: 'A company the story names', kind: 'company', required: false },
    ],
    admin: false,
  },
  {
    name: 'subscribe',
    description: 'Get a message when a company responds (in one story or all)',
    usage: '<company> [story] [dm|mention]',
    options: [
      { name: 'company', description: 'Company name or alias, e.g. netflix', kind: 'company', required: true },
      { name: 'story', description: 'Only this story', kind: 'story', required: false },
      { name: 'mode', description: 'dm (default) or mention in the story channel', kind: 'mode', required: false },
    ],
    admin: false,
  },
  {
    name: 'unsubscribe',
    description: 'Stop messages about a company',
    usage: '<company> [story]',
    options: [
      { name: 'company', description: 'Company name or alias', kind: 'company', required: true },
      { name: 'story', description: 'Only this story', kind: 'story', required: false },
    ],
    admin: false,
  },
  {
    name: 'subscriptions',
    description: 'Your subscriptions',
    usage: '',
    options: [],
    admin: false,
  },
  {
    name: 'feeds',
    description: 'Watched feeds with status, last success and last error; resume a paused feed',
    usage: '[resume <feed>]',
    options: [{ name: 'resume', description: 'Id of a paused feed to resume', kind: 'feed', required: false }],
    admin: true,
  },
  {
    name: 'help',
    description: 'What storywatch does and its commands',
    usage: '',
    options: [],
    admin: false,
  },
];
