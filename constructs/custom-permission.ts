import { z } from 'zod';
import type { CustomPermissionSpec } from '../model/custom-permissions';
import { findSource, findWarehouse } from '../model/resolve-grant';
import type { WorkspaceCatalog } from '../model/resolve-grant';
import { labelsSchema, nonEmpty } from './schemas';
import { unknownReference } from './source-access';

/**
 * The escape hatch for access no role preset expresses (`role: WorkspaceRole.CUSTOM`): Segment roles
 * by name, on resources by catalog name. Still validated at synth, checked by the guardrails (a
 * Workspace Owner role counts as OWNER, a workspace-wide Admin role as ADMIN) and resolved into the
 * desired state like a preset. Role names are checked against `GET /roles` before any write.
 */
export interface CustomPermission {
  /** A Segment role name as `GET /roles` lists it, e.g. 'Source Admin' (see `SegmentRoleName`). */
  readonly role: string;
  /** Grant the role on the whole workspace. @default false */
  readonly workspace?: boolean;
  /** Grant the role on the workspace, narrowed to the sources (and spaces) carrying all these labels. @default - no labelled grant */
  readonly labels?: Record<string, string>;
  /** Sources by id or catalog name. @default [] */
  readonly sources?: string[];
  /** Warehouses by id or catalog name. @default [] */
  readonly warehouses?: string[];
  /** Functions by id. @default [] */
  readonly functions?: string[];
  /** Unify and Engage spaces by id. @default [] */
  readonly spaces?: string[];
}

const ids = (what: string) => z.array(nonEmpty(what)).default([]);

export const CustomPermissionSchema = z
  .object({
    // Not trimmed: a role name must match GET /roles exactly.
    role: z.string({ error: 'a Segment role name such as "Source Admin"' }).refine((r) => r.trim().length > 0, { error: 'a Segment role name such as "Source Admin"' }),
    workspace: z.boolean().default(false),
    labels: labelsSchema.default({}),
    sources: ids('a source id or catalog name'),
    warehouses: ids('a warehouse id or catalog name'),
    functions: ids('a function id'),
    spaces: ids('a space id'),
  })
  .strict()
  .refine(
    (p) => p.workspace || Object.keys(p.labels).length > 0 || [p.sources, p.warehouses, p.functions, p.spaces].some((list) => list.length > 0),
    { error: 'a target: workspace: true, labels, sources, warehouses, functions or spaces' },
  );

export const CUSTOM_PERMISSION_HINTS = {
  customPermissions: 'list the Segment roles as { role: "Source Admin", sources: ["web"] }, each with at least one target.',
  'customPermissions.*': 'give each entry a role and at least one target: workspace: true, labels, sources, warehouses, functions or spaces.',
  'customPermissions.*.role': 'use a role name exactly as GET /roles lists it, e.g. "Source Read-only".',
};

type ParsedCustomPermission = z.output<typeof CustomPermissionSchema>;

/** Resolves catalog names to ids; an unknown name is a synth error naming the field and the catalog. */
export function resolveCustomPermissionRefs(
  where: string,
  permissions: readonly ParsedCustomPermission[],
  catalog: WorkspaceCatalog,
): CustomPermissionSpec[] {
  return permissions.map((p, i) => ({
    roleName: p.role,
    workspace: p.workspace,
    labels: p.labels,
    sourceIds: p.sources.map(
      (ref, j) => (findSource(catalog, ref) ?? unknownReference(where, `customPermissions.${i}.sources.${j}`, ref, 'source', 'sources', catalog.workspaceId, catalog.sources)).id,
    ),
    warehouseIds: p.warehouses.map(
      (ref, j) =>
        (findWarehouse(catalog, ref) ?? unknownReference(where, `customPermissions.${i}.warehouses.${j}`, ref, 'warehouse', 'warehouses', catalog.workspaceId, catalog.warehouses)).id,
    ),
    functionIds: p.functions,
    spaceIds: p.spaces,
  }));
}
