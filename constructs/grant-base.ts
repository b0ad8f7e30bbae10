import { Construct } from 'constructs';
import { TerraformStack } from '../framework';
import { z } from 'zod';
import { WorkspaceRole } from '../model/enums';
import { grantsSourceAdmin, resolveGrantBody } from '../model/resolve-grant';
import type { SourceAccessSpec } from '../model/resolve-grant';
import type { GrantBody } from '../model/desired-state';
import type { RolePreset } from '../model/role-presets';
import { invalid } from '../model/validation';
import { SourceAccess, SourceAccessProps } from './source-access';
import { CUSTOM_PERMISSION_HINTS, CustomPermission, CustomPermissionSchema, resolveCustomPermissionRefs } from './custom-permission';
import { resolveCustomPermissions } from '../model/custom-permissions';
import type { DesiredPermission } from '../model/desired-state';
import type { SegmentWorkspace } from './segment-workspace';
import { markAccessChanged, RevisionCache } from './access-revision';
import { grantDataFields } from './grant-fields';
import { assertNewChildId } from './construct-ids';

/** Audit fields a grant carries for the IAM tracker. */
export interface GrantAudit {
  /** Ticket or approval reference. @default - none (the guardrails require one) */
  readonly ticket?: string;
  /** Who requested the access. @default - none (the guardrails require one) */
  readonly requestedBy?: string;
  /** Who approved it. @default - none (required for OWNER) */
  readonly approvedBy?: string;
  /** Why this role is needed. @default - none (required for ADMIN and OWNER) */
  readonly justification?: string;
}

/** What every grant declares, individual or group. */
export interface GrantCommonOptions extends GrantAudit {
  /** The role preset; resolved to Segment permissions by the workspace's preset table. */
  readonly role: WorkspaceRole;
  /** SourceAccess entries, each as `addSourceAccess(id, props)` would add it. Not for CUSTOM grants. @default {} */
  readonly sourceAccess?: Record<string, SourceAccessProps>;
  /**
   * The explicit Segment permissions of a `WorkspaceRole.CUSTOM` grant (and only of one): for access no
   * preset expresses. An environment override that changes the role away from CUSTOM sets `[]`.
   * @default []
   */
  readonly customPermissions?: CustomPermission[];
}

/** zod fields shared by the props schemas of WorkspaceGrant and UserGroupGrant. */
export const grantCommonFields = {
  ...grantDataFields,
  workspace: z.any(),
  // Each entry is validated by its SourceAccess, which names its own construct path.
  sourceAccess: z.record(z.string(), z.any()).default({}),
};

export const GRANT_FIX_HINTS = {
  role: 'use WorkspaceRole.OWNER, ADMIN, MEMBER or READ_ONLY (or CUSTOM with customPermissions).',
  ...CUSTOM_PERMISSION_HINTS,
};

/**
 * What individual and group grants share: a role preset, SourceAccess entries, and their resolution
 * into Segment permissions against the workspace's catalog and preset table.
 */
export abstract class GrantBase extends Construct {
  public readonly workspace: SegmentWorkspace;
  public readonly role: WorkspaceRole;
  public readonly ticket?: string;
  public readonly requestedBy?: string;
  public readonly approvedBy?: string;
  public readonly justification?: string;
  private readonly accesses: SourceAccess[] = [];
  private readonly custom: readonly DesiredPermission[];
  private readonly kindName: string;
  private readonly bodyCache = new RevisionCache<GrantBody>();

  protected constructor(
    scope: Construct,
    id: string,
    workspace: SegmentWorkspace,
    role: WorkspaceRole,
    audit: GrantAudit,
    kindName: string,
    customPermissions: readonly z.output<typeof CustomPermissionSchema>[] = [],
  ) {
    assertNewChildId(scope, id, kindName);
    super(scope, id);
    this.kindName = kindName;
    this.workspace = workspace;
    this.role = role;
    this.ticket = audit.ticket;
    this.requestedBy = audit.requestedBy;
    this.approvedBy = audit.approvedBy;
    this.justification = audit.justification;
    const grantStack = TerraformStack.of(this);
    const workspaceStack = TerraformStack.of(workspace);
    if (grantStack !== workspaceStack) {
      invalid(`${kindName} "${this.node.path}"`, {
        field: 'workspace',
        received: workspace.node.path,
        allowed: `a SegmentWorkspace in the same stack ("${grantStack.node.id}")`,
        fix: `create the grant in stack "${workspaceStack.node.id}" (e.g. with workspace.addGrant()), or use the workspace declared in stack "${grantStack.node.id}".`,
      });
    }
    this.custom = this.resolveCustom(customPermissions);
  }

  /** A CUSTOM grant has explicit permissions and nothing else; a preset grant has none. */
  private resolveCustom(customPermissions: readonly z.output<typeof CustomPermissionSchema>[]): readonly DesiredPermission[] {
    const where = `${this.kindName} "${this.node.path}"`;
    if (this.role === WorkspaceRole.CUSTOM && customPermissions.length === 0) {
      invalid(where, {
        field: 'customPermissions',
        received: [],
        allowed: 'at least one permission for a CUSTOM grant',
        fix: 'list the Segment roles the grant gives, e.g. customPermissions: [{ role: "Source Read-only", sources: ["web"] }], or use a preset role.',
      });
    }
    if (this.role !== WorkspaceRole.CUSTOM && customPermissions.length > 0) {
      invalid(where, {
        field: 'customPermissions',
        received: customPermissions.map((p) => p.role),
        allowed: `no customPermissions on a ${this.role} grant (its preset decides its permissions)`,
        fix: 'use role: WorkspaceRole.CUSTOM to give explicit permissions, or drop customPermissions (in an environment override that changes the role, set customPermissions: []).',
      });
    }
    return resolveCustomPermissions(resolveCustomPermissionRefs(where, customPermissions, this.workspace.catalog), this.workspace.workspaceId);
  }

  /** The preset table entry this grant uses (the workspace may override the defaults). */
  public get preset(): RolePreset {
    return this.workspace.rolePreset(this.role);
  }

  /** Narrows the grant to sources, records destinations and adds warehouses. */
  public addSourceAccess(id: string, props: SourceAccessProps): SourceAccess {
    if (this.role === WorkspaceRole.CUSTOM) {
      invalid(`${this.kindName} "${this.node.path}"`, {
        field: `sourceAccess.${id}`,
        received: props,
        allowed: 'no SourceAccess on a CUSTOM grant (its customPermissions are its whole access)',
        fix: 'name the sources in customPermissions (e.g. { role: "Source Admin", sources: ["web"] }); in an environment override that changes the role to CUSTOM, set sourceAccess: {}.',
      });
    }
    const access = new SourceAccess(this, id, props, {
      node: this.node,
      catalog: this.workspace.catalog,
      preset: this.preset,
      roleName: this.role,
    });
    this.accesses.push(access);
    markAccessChanged(this);
    if (access.spec.destinations.length === 0) return access;
    const permissions = this.body().permissions;
    access.spec.destinations.forEach((d, i) => {
      if (!grantsSourceAdmin(permissions, d.source, this.workspace.catalog)) {
        invalid(`SourceAccess "${access.node.path}"`, {
          field: `destinations.${i}`,
          received: { name: d.name, source: d.source.name === d.source.id ? d.source.id : `${d.source.name} (${d.source.id})` },
          allowed: 'a destination whose source this grant gives ADMIN on (configuring a destination is Source Admin on its source)',
          fix: `grant ADMIN on source "${d.source.name}" in this or an earlier SourceAccess, or remove the destination.`,
        });
      }
    });
    return access;
  }

  public get sourceAccess(): readonly SourceAccess[] {
    return [...this.accesses];
  }

  /** Adds the SourceAccess entries given in props, in declaration order. */
  protected addSourceAccessEntries(entries: Record<string, unknown>): void {
    for (const [accessId, accessProps] of Object.entries(entries)) {
      // The key becomes the SourceAccess's construct id: report a bad key as a field of the grant's props.
      assertNewChildId(this, accessId, 'SourceAccess', `sourceAccess[${JSON.stringify(accessId)}] (its key is the construct id)`);
      this.addSourceAccess(accessId, accessProps as SourceAccessProps);
    }
  }

  protected accessSpecs(): SourceAccessSpec[] {
    return this.accesses.map((a) => a.spec);
  }

  private audit(): GrantBody['audit'] {
    return {
      approvedBy: this.approvedBy ?? null,
      justification: this.justification ?? null,
      requestedBy: this.requestedBy ?? null,
      ticket: this.ticket ?? null,
    };
  }

  /** The resolved permissions and records of this grant. */
  public body(): GrantBody {
    return this.bodyCache.get(this, '', () => resolveGrantBody(this.role, this.preset, this.accessSpecs(), this.workspace.catalog, this.audit(), this.node.path, this.custom, this.workspace.permissionsResolver));
  }
}
