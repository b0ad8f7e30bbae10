import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { PLAN_TIERS, RESOURCE_TYPES } from './model';

const labelSchema = z.object({ key: z.string(), value: z.string() });
const permissionSchema = z.object({
  roleId: z.string(),
  resources: z.array(z.object({ id: z.string(), type: z.enum(RESOURCE_TYPES), labels: z.array(labelSchema) })),
});
const namedSchema = z.object({ id: z.string(), name: z.string() });
const labelledSchema = namedSchema.extend({ labels: z.record(z.string(), z.string()) });
const auditEventSchema = z.object({
  id: z.string(),
  timestamp: z.string(),
  type: z.string(),
  actor: z.string(),
  actorEmail: z.string().optional(),
  resourceId: z.string(),
  resourceType: z.string(),
  resourceName: z.string(),
});

const workspaceRecordSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  planTier: z.enum(PLAN_TIERS),
  seatLimit: z.number().int().positive().optional(),
  labels: z.array(z.object({ key: z.string(), value: z.string(), description: z.string().optional() })),
  sources: z.array(labelledSchema),
  warehouses: z.array(namedSchema),
  functions: z.array(namedSchema),
  spaces: z.array(labelledSchema),
  users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), permissions: z.array(permissionSchema) })),
  invites: z.array(z.object({ email: z.string(), permissions: z.array(permissionSchema), invitedAt: z.string() })),
  groups: z.array(
    z.object({ id: z.string(), name: z.string(), permissions: z.array(permissionSchema), memberEmails: z.array(z.string()) }),
  ),
  auditEvents: z.array(auditEventSchema),
  idSequence: z.number().int().nonnegative(),
});

/** The state file and `GET /__emulator/state`: everything but the bearer tokens. */
export const stateSnapshotSchema = z.object({
  format: z.literal('segment-api-emulator-state'),
  /** 2: plan tiers, labels, space labels and the audit trail. */
  version: z.literal(2),
  savedAt: z.string(),
  clockOffsetMs: z.number(),
  workspaces: z.array(workspaceRecordSchema),
});

export type StateSnapshot = z.infer<typeof stateSnapshotSchema>;

export function parseStateSnapshot(input: unknown, origin: string): StateSnapshot {
  if (typeof input === 'object' && input !== null && (input as { version?: unknown }).version === 1) {
    throw new Error(`${origin} was written by an older emulator (state version 1, before plan tiers, labels and the audit trail): delete it (or run the demo with --fresh).`);
  }
  const result = stateSnapshotSchema.safeParse(input);
  if (!result.success) throw new Error(`Invalid emulator state in ${origin}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export function readStateFile(path: string): StateSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`State file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseStateSnapshot(json, path);
}

/** Write-then-rename, so a crash mid-write never leaves a truncated state file behind. */
export function writeStateFile(path: string, snapshot: StateSnapshot): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot, null, 2) + '\n', 'utf8');
  renameSync(temporary, path);
}
