import type { Reply } from '../model.js';
import { COMMAND_SPECS } from './command-specs.js';
import { ephemeral, type CommandContext } from './command-context.js';

export function helpCommand(context: CommandContext, heading = 'storywatch'): Reply {
  return ephemeral({
    title: heading,
    blocks: [
      {
        kind: 'text',
        text: 'storywatch watches news feeds for developments in the stories you track and posts each new one here: which company responded, what it said, and where it was reported.',
      },
      { kind: 'list', items: COMMAND_SPECS.map((spec) => `/${spec.name}${spec.usage ? ` ${spec.usage}` : ''}: ${spec.description}`) },
      { kind: 'context', text: `Tracked stories: ${context.stories.map((story) => story.slug).join(', ')}` },
    ],
  });
}
