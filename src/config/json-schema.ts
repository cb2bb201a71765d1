// JSON Schemas for editors' autocompletion, generated from the zod schemas (npm run schema).
import { z } from 'zod';
import { feedsFileSchema, storyFileSchema } from './schema.js';

export const SCHEMA_FILES = {
  'story.schema.json': storyFileSchema,
  'feeds.schema.json': feedsFileSchema,
} as const;

/** The text of each schema file, exactly as committed under config/schema/. */
export function renderJsonSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SCHEMA_FILES).map(([name, schema]) => [
      name,
      `${JSON.stringify(z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }), null, 2)}\n`,
    ]),
  );
}
