import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { WorkspaceRole } from '../model/enums';
import { grantsSourceAdmin, resolveGrantBody } from '../model/resolve-grant';
import type { SourceAccessSpec } from '../model/resolve-grant';
import type { GrantBody } from '../model/desired-state';
import type { RolePreset } from '../model/role-presets';
import { invalid } from '../model/validation';
import { SourceAccess, SourceAccessProps } from './source-access';
import type { SegmentWorkspace } from './segment-workspace';
import { bumpGeneration, GenerationCache } from './generation';

/** Audit fields a grant carries for the IAM tracker. */
export interface GrantAudit {
  readonly ticket?: string;
  readonly requestedBy?: string;
  readonly approvedBy?: string;
  readonly justification?: string;
}

/**
 * What individual and group grants share: a role preset, SourceAccess entries, and their resolution
 * into Segment permissions against the workspace's catalog and preset table.
 */
export abstract class GrantBase extends Construct {
  public readonly workspace: SegmentWorkspace;
  public readonly role: WorkspaceRole;
  private readonly accesses: SourceAccess[] = [];
  private readonly bodyCache = new GenerationCache<GrantBody>();

  protected constructor(scope: Construct, id: string, workspace: SegmentWorkspace, role: WorkspaceRole, kindName: string) {
    super(scope, id);
    this.workspace = workspace;
    this.role = role;
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
  }

  /** The preset table entry this grant uses (the workspace may override the defaults). */
  public get preset(): RolePreset {
    return this.workspace.rolePreset(this.role);
  }

  /** Narrows the grant to sources, records destinations and adds warehouses. */
  public addSourceAccess(id: string, props: SourceAccessProps): SourceAccess {
    const access = new SourceAccess(this, id, props, {
      node: this.node,
      catalog: this.workspace.catalog,
      preset: this.preset,
      roleName: this.role,
    });
    this.accesses.push(access);
    bumpGeneration();
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

  protected accessSpecs(): SourceAccessSpec[] {
    return this.accesses.map((a) => a.spec);
  }

  protected abstract audit(): GrantBody['audit'];

  /** The resolved permissions and records of this grant. */
  public body(): GrantBody {
    return this.bodyCache.get('', () => resolveGrantBody(this.role, this.preset, this.accessSpecs(), this.workspace.catalog, this.audit(), this.node.path));
  }
}
