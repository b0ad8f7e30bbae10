import { z } from 'zod';
import { validationError } from './errors';

/** Shapes of request bodies; the domain rules (roles, resources, seats...) live in the state. */

const labelInput = z.object({ key: z.string().min(1), value: z.string() });

const permissionInput = z.object({
  roleId: z.string(),
  resources: z.array(z.object({ id: z.string(), type: z.string(), labels: z.array(labelInput).optional() })),
});

export const permissionsBody = z.object({ permissions: z.array(permissionInput) });

export const createInvitesBody = z.object({
  invites: z.array(
    z.object({
      email: z.string(),
      permissions: z
        .array(
          z.object({
            roleId: z.string(),
            resources: z.array(z.object({ id: z.string(), type: z.string() })).optional(),
            labels: z.array(labelInput).optional(),
          }),
        )
        .optional(),
    }),
  ),
});

export const groupNameBody = z.object({ name: z.string().max(200) });

export const emailsBody = z.object({ emails: z.array(z.string()) });

export function parseRequestBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
    .join('');
  const where = field === '' ? 'request body' : field;
  throw validationError(`Invalid ${where}: ${issue.message}`, field === '' ? undefined : field);
}
