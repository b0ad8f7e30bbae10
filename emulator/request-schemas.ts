import { z } from 'zod';
import { validationError } from './errors';

/**
 * Shapes of request bodies, after the SDK's input models (model/permissionInputV1.ts,
 * permissionResourceV1.ts, createInvitesV1Input.ts, inviteV1.ts, invitePermissionV1.ts,
 * resourceV1.ts, createLabelV1Input.ts, createUserGroupV1Input.ts, addUsersToUserGroupV1Input.ts).
 * In strict mode an unknown field is a 422, as the API validates input against its schema;
 * otherwise unknown fields are dropped. Domain rules (roles, resources, seats...) live in the state.
 */
function bodySchemas(strict: boolean) {
  const object = <Shape extends z.ZodRawShape>(shape: Shape) => (strict ? z.strictObject(shape) : z.object(shape));
  const label = object({ key: z.string().min(1), value: z.string().min(1) });
  const permission = object({
    roleId: z.string(),
    resources: z.array(object({ id: z.string(), type: z.string(), labels: z.array(label).optional() })),
  });
  return {
    permissions: object({ permissions: z.array(permission) }),
    createInvites: object({
      invites: z.array(
        object({
          email: z.string(),
          permissions: z
            .array(
              object({
                roleId: z.string(),
                resources: z.array(object({ id: z.string(), type: z.string() })).optional(),
                labels: z.array(label).optional(),
              }),
            )
            .optional(),
        }),
      ),
    }),
    groupName: object({ name: z.string() }),
    emails: object({ emails: z.array(z.string()) }),
    createLabel: object({ label: object({ key: z.string(), value: z.string(), description: z.string().optional() }) }),
  };
}

export type BodySchemas = ReturnType<typeof bodySchemas>;

const STRICT = bodySchemas(true);
const LENIENT = bodySchemas(false);

export function requestSchemas(strict: boolean): BodySchemas {
  return strict ? STRICT : LENIENT;
}

export function parseRequestBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
    .join('');
  const where = field === '' ? 'request body' : field;
  const message = issue.code === 'unrecognized_keys' ? `"${issue.keys[0]}" is not a field Segment accepts here` : issue.message;
  throw validationError(`Invalid ${where}: ${message}`, field === '' ? undefined : field);
}
