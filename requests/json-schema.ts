import { z } from 'zod';
import { AccessRequestsSchema } from './schema';

/** Where the package ships the JSON Schema of access requests files (relative to the package root). */
export const ACCESS_SCHEMA_PATH = 'schema/access.schema.json';

/**
 * The JSON Schema of an access requests file, generated from the same zod schemas that validate it
 * (zod 4's `z.toJSONSchema`, https://zod.dev/json-schema), for editors: a file whose first line is
 * `# yaml-language-server: $schema=<path>` gets completion and inline errors in VS Code (Red Hat's
 * YAML extension) and JetBrains IDEs. Refinements (unique ids, well-formed emails) are checked only
 * by `segment-access validate`.
 */
export function accessRequestsJsonSchema(): Record<string, unknown> {
  // io "input": what a person writes (fields with defaults are optional).
  const generated = z.toJSONSchema(AccessRequestsSchema, { io: 'input', target: 'draft-2020-12' });
  return { ...generated, title: 'segment-access access requests (access.yaml)' };
}

/** The schema file's exact text. */
export function accessRequestsJsonSchemaText(): string {
  return `${JSON.stringify(accessRequestsJsonSchema(), null, 2)}\n`;
}
