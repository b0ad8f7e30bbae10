import { Construct } from 'constructs';
import { z } from 'zod';
import { AccessLevel } from '../model/enums';
import { parseInput, invalid } from '../model/validation';
import { allowedLevels, findSource, findWarehouse, presetScopesSources } from '../model/resolve-grant';
import type { CatalogSource, CatalogWarehouse, SourceAccessSpec, WorkspaceCatalog } from '../model/resolve-grant';
import type { RolePreset } from '../model/role-presets';
import { labelsSchema, nonEmpty } from './schemas';
import { assertNewChildId } from './construct-ids';

/** A destination the collaborator will configure. Segment has no destination permission: it is Source Admin on its source. */
export interface DestinationAccess {
  /** The destination's name as shown in Segment, e.g. "Amplitude". */
  readonly name: string;
  /** The source it is connected to: a source id, or a name from the workspace's source catalog. */
  readonly source: string;
}

export interface SourceAccessProps {
  /** What the collaborator may do on the sources named. */
  readonly level: AccessLevel;
  /** Sources by id, or by name from the workspace's source catalog. @default [] */
  readonly sources?: string[];
  /** Sources by label, e.g. { environment: 'prod' }. @default {} */
  readonly labels?: Record<string, string>;
  /** Every source in the workspace. @default false */
  readonly allSources?: boolean;
  /** Destinations the collaborator will configure; each must belong to a source granted ADMIN. @default [] */
  readonly destinations?: DestinationAccess[];
  /** Warehouses by id or catalog name, at the same level. @default [] */
  readonly warehouses?: string[];
}

/** The props of a SourceAccess; also a `sourceAccess` entry of an access requests file. */
export const SourceAccessPropsSchema = z
  .object({
    level: z.enum(AccessLevel),
    sources: z.array(nonEmpty('a source id or catalog name')).default([]),
    labels: labelsSchema.default({}),
    allSources: z.boolean().default(false),
    destinations: z
      .array(z.object({ name: nonEmpty('a destination name'), source: nonEmpty('the id or catalog name of the source it is connected to') }).strict())
      .default([]),
    warehouses: z.array(nonEmpty('a warehouse id or catalog name')).default([]),
  })
  .strict();

export const SOURCE_ACCESS_FIX_HINTS = {
  level: 'use AccessLevel.ADMIN or AccessLevel.READ_ONLY.',
  labels: 'give labels as { key: "value" }, e.g. { environment: "prod" }.',
};

/** What the grant a SourceAccess belongs to must provide. */
export interface SourceAccessParent {
  readonly node: Construct['node'];
  readonly catalog: WorkspaceCatalog;
  readonly preset: RolePreset;
  readonly roleName: string;
}

/**
 * Narrows a grant to sources (by id, label or all), records the destinations the collaborator will
 * configure, and adds warehouses.
 */
export class SourceAccess extends Construct {
  public readonly spec: SourceAccessSpec;

  constructor(scope: Construct, id: string, props: SourceAccessProps, parent: SourceAccessParent) {
    assertNewChildId(scope, id, 'SourceAccess');
    super(scope, id);
    const where = `SourceAccess "${this.node.path}"`;
    const p = parseInput(SourceAccessPropsSchema, props, where, SOURCE_ACCESS_FIX_HINTS);
    const hasLabels = Object.keys(p.labels).length > 0;
    if (!p.allSources && p.sources.length === 0 && !hasLabels) {
      invalid(where, {
        field: 'sources / labels / allSources',
        received: props,
        allowed: 'at least one of: sources (ids or catalog names), labels ({ key: value }), or allSources: true',
        fix: 'name the sources this access is for, select them by label, or set allSources: true.',
      });
    }
    if (p.allSources && (p.sources.length > 0 || hasLabels)) {
      invalid(where, {
        field: 'allSources',
        received: { allSources: true, sources: p.sources, labels: p.labels },
        allowed: 'allSources alone, or sources/labels without allSources',
        fix: 'drop allSources to narrow the access, or drop sources and labels to grant every source.',
      });
    }
    if (presetScopesSources(parent.preset) && !allowedLevels(parent.preset).includes(p.level)) {
      invalid(where, {
        field: 'level',
        received: p.level,
        allowed: `${allowedLevels(parent.preset).join(', ')} for a ${parent.roleName} grant`,
        fix: `lower the level, or raise the grant's role if the collaborator really needs ${p.level} access.`,
      });
    }
    const sources = p.sources.map((ref, i) => this.resolveSource(where, `sources.${i}`, ref, parent.catalog));
    const warehouses = p.warehouses.map((ref, i) => this.resolveWarehouse(where, `warehouses.${i}`, ref, parent.catalog));
    const destinations = p.destinations.map((d, i) => ({
      name: d.name,
      source: this.resolveSource(where, `destinations.${i}.source`, d.source, parent.catalog),
    }));
    this.spec = { level: p.level, allSources: p.allSources, sources, labels: p.labels, destinations, warehouses };
  }

  private resolveSource(where: string, field: string, ref: string, catalog: WorkspaceCatalog): CatalogSource {
    return findSource(catalog, ref) ?? unknownReference(where, field, ref, 'source', 'sources', catalog.workspaceId, catalog.sources);
  }

  private resolveWarehouse(where: string, field: string, ref: string, catalog: WorkspaceCatalog): CatalogWarehouse {
    return findWarehouse(catalog, ref) ?? unknownReference(where, field, ref, 'warehouse', 'warehouses', catalog.workspaceId, catalog.warehouses);
  }

  public static isSourceAccess(x: unknown): x is SourceAccess {
    return x instanceof SourceAccess;
  }
}

/** A source or warehouse reference the catalog does not know: the error names what it does know. */
export function unknownReference(
  where: string,
  field: string,
  ref: string,
  kind: string,
  catalogProp: string,
  workspaceId: string,
  known: readonly { readonly id: string; readonly name: string }[],
): never {
  return invalid(where, {
    field,
    received: ref,
    allowed: `a ${kind} of workspace ${workspaceId}: ${known.map((k) => `"${k.name}" (${k.id})`).join(', ')}`,
    fix: `use a ${kind} id or name from the workspace's \`${catalogProp}\` catalog, or add the ${kind} to that catalog.`,
  });
}
