import { Construct } from 'constructs';
import { DerivedTriggersResource } from './derived-triggers-resource';
import { z } from 'zod';
import { WorkspaceRole } from '../model/enums';
import { describePermissions } from '../model/canonical';
import type { DesiredCollaborator, GrantBody } from '../model/desired-state';
import { parseInput } from '../model/validation';
import { GrantBase } from './grant-base';
import { SegmentCollaborator } from './segment-collaborator';
import type { SegmentWorkspace } from './segment-workspace';
import type { SourceAccessProps } from './source-access';
import { isoDateSchema, optionalText } from './schemas';
import { terraformName } from './terraform-names';

export interface WorkspaceGrantOptions {
  /** Who gets access. */
  readonly collaborator: SegmentCollaborator;
  /** The role preset; resolved to Segment permissions by the workspace's preset table. */
  readonly role: WorkspaceRole;
  /** Why this role is needed (required by the guardrails for ADMIN and OWNER). @default - none */
  readonly justification?: string;
  /** Date (YYYY-MM-DD, UTC) on which the access is removed. @default - no expiry */
  readonly expiresOn?: string;
  /** Ticket or approval reference for this grant. @default - the collaborator's ticket */
  readonly ticket?: string;
  /** Who requested this grant. @default - the collaborator's requestedBy */
  readonly requestedBy?: string;
  /** Who approved this grant. @default - the collaborator's approvedBy */
  readonly approvedBy?: string;
  /** Why this environment's role deliberately differs from the other environments. @default - none: the role must match */
  readonly environmentOverride?: string;
  /** SourceAccess entries, each as `addSourceAccess(id, props)` would add it. @default {} */
  readonly sourceAccess?: Record<string, SourceAccessProps>;
}

export interface WorkspaceGrantProps extends WorkspaceGrantOptions {
  /** The workspace the access is granted in. Must be in the same stack as the grant. */
  readonly workspace: SegmentWorkspace;
}

const GrantPropsSchema = z
  .object({
    workspace: z.any(),
    collaborator: z.instanceof(SegmentCollaborator, { error: 'a SegmentCollaborator construct' }),
    role: z.enum(WorkspaceRole),
    justification: optionalText('a justification'),
    expiresOn: isoDateSchema.optional(),
    ticket: optionalText('a ticket or approval reference'),
    requestedBy: optionalText('who requested the access'),
    approvedBy: optionalText('who approved the access'),
    environmentOverride: optionalText('the reason this environment differs'),
    sourceAccess: z.record(z.string(), z.any()).default({}),
  })
  .strict();

/**
 * A collaborator's access to one workspace: a role preset, optional source narrowing, expiry and
 * audit fields. Synthesizes a `null_resource` whose triggers let a reviewer read the change in
 * `cdktf plan`; the workspace's reconciler carries it out.
 */
export class WorkspaceGrant extends GrantBase {
  public readonly collaborator: SegmentCollaborator;
  public readonly justification?: string;
  public readonly expiresOn?: string;
  public readonly ticket?: string;
  public readonly requestedBy?: string;
  public readonly approvedBy?: string;
  public readonly environmentOverride?: string;
  public readonly resource: DerivedTriggersResource;

  constructor(scope: Construct, id: string, props: WorkspaceGrantProps) {
    const p = parseInput(GrantPropsSchema, props, `WorkspaceGrant "${scope.node.path}/${id}"`, {
      role: 'use WorkspaceRole.OWNER, ADMIN, MEMBER or READ_ONLY.',
      expiresOn: 'write the date the access ends as YYYY-MM-DD, e.g. "2027-03-31".',
      collaborator: 'pass the SegmentCollaborator construct (not its email).',
    });
    super(scope, id, props.workspace, p.role, 'WorkspaceGrant');
    this.collaborator = p.collaborator;
    this.justification = p.justification;
    this.expiresOn = p.expiresOn;
    this.ticket = p.ticket ?? p.collaborator.ticket;
    this.requestedBy = p.requestedBy ?? p.collaborator.requestedBy;
    this.approvedBy = p.approvedBy ?? p.collaborator.approvedBy;
    this.environmentOverride = p.environmentOverride;
    this.workspace.registerGrant(this);
    for (const [accessId, accessProps] of Object.entries(p.sourceAccess)) this.addSourceAccess(accessId, accessProps as SourceAccessProps);

    this.resource = new DerivedTriggersResource(this, 'Grant', () => this.triggers());
    this.resource.overrideLogicalId(terraformName('grant', this.workspace.node.id, id));
  }

  protected audit(): GrantBody['audit'] {
    return {
      ticket: this.ticket ?? null,
      requestedBy: this.requestedBy ?? null,
      approvedBy: this.approvedBy ?? null,
      justification: this.justification ?? null,
    };
  }

  /** Whether the grant has ended by `now` (expiry dates are UTC days). */
  public isExpired(now: Date): boolean {
    return this.expiresOn !== undefined && Date.parse(`${this.expiresOn}T00:00:00Z`) <= now.getTime();
  }

  /** This grant's entry in the workspace's desired state. */
  public toDesiredCollaborator(): DesiredCollaborator {
    const c = this.collaborator;
    return {
      ...this.body(),
      email: c.email,
      displayName: c.displayName,
      organization: c.organization ?? null,
      kind: c.kind,
      expiresOn: this.expiresOn ?? null,
    };
  }

  /** Plan-readable triggers: a change to any of them is a change to this person's access. */
  private triggers(): Record<string, string> {
    const body = this.body();
    return {
      email: this.collaborator.email,
      kind: this.collaborator.kind,
      workspace: `${this.workspace.displayName} (${this.workspace.workspaceId})`,
      role: this.role,
      permissions: describePermissions(body.permissions, this.workspace.resourceNames),
      destinations: body.destinations.length ? body.destinations.map((d) => `${d.name} via ${d.sourceName}`).join('; ') : 'none',
      expires: this.expiresOn ?? 'never',
    };
  }

  public static isWorkspaceGrant(x: unknown): x is WorkspaceGrant {
    return x instanceof WorkspaceGrant;
  }
}
