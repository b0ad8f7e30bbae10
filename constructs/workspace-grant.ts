import { Construct } from 'constructs';
import { z } from 'zod';
import { describeGrantPermissions } from '../model/canonical';
import type { DesiredCollaborator } from '../model/desired-state';
import { parseInput } from '../model/validation';
import { GRANT_FIX_HINTS, GrantBase, GrantCommonOptions, grantCommonFields } from './grant-base';
import { SegmentCollaborator } from './segment-collaborator';
import type { SegmentWorkspace } from './segment-workspace';
import { isoDateSchema, optionalText } from './schemas';
import { RevisionCache } from './access-revision';
import { WorkspaceRole } from '../model/enums';
import type { OverriddenGrant } from '../model/separation-of-duties';

/** A grant's options. Audit fields left out fall back to the collaborator's. */
export interface WorkspaceGrantOptions extends GrantCommonOptions {
  /** Who gets access. */
  readonly collaborator: SegmentCollaborator;
  /** Date (YYYY-MM-DD, UTC) on which the access is removed. @default - no expiry */
  readonly expiresOn?: string;
  /** Why this environment's role deliberately differs from the other environments. @default - none: the role must match */
  readonly environmentOverride?: string;
  /**
   * The shared grant an environment override changes, with the override's own justification and
   * approver: SA-SOD-003 requires both when the override raises the role. SegmentAccessStack sets it
   * from an access definition's `environments` entry. @default - not an override of a shared grant
   */
  readonly overrideOf?: OverriddenGrant;
}

export interface WorkspaceGrantProps extends WorkspaceGrantOptions {
  /** The workspace the access is granted in. Must be in the same stack as the grant. */
  readonly workspace: SegmentWorkspace;
}

const GrantPropsSchema = z
  .object({
    ...grantCommonFields,
    collaborator: z.instanceof(SegmentCollaborator, { error: 'a SegmentCollaborator construct' }),
    expiresOn: isoDateSchema.optional(),
    environmentOverride: optionalText('the reason this environment differs'),
    overrideOf: z
      .object({
        role: z.enum(WorkspaceRole),
        justification: z.string().optional(),
        approvedBy: z.string().optional(),
        baseJustification: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * A collaborator's access to one workspace: a role preset, optional source narrowing, expiry and
 * audit fields. Its plan summary is one entry of the workspace reconciler's triggers, so a reviewer
 * reads who changes and how in `cdktf plan`; the reconciler carries the change out.
 */
export class WorkspaceGrant extends GrantBase {
  public readonly collaborator: SegmentCollaborator;
  public readonly expiresOn?: string;
  public readonly environmentOverride?: string;
  /** The shared grant this environment's override changes (see WorkspaceGrantOptions.overrideOf). */
  public readonly overrideOf?: OverriddenGrant;
  private readonly desiredCache = new RevisionCache<DesiredCollaborator>();

  constructor(scope: Construct, id: string, props: WorkspaceGrantProps) {
    const p = parseInput(GrantPropsSchema, props, `WorkspaceGrant "${scope.node.path}/${id}"`, {
      ...GRANT_FIX_HINTS,
      expiresOn: 'write the date the access ends as YYYY-MM-DD, e.g. "2027-03-31".',
      collaborator: 'pass the SegmentCollaborator construct (not its email).',
    });
    const c = p.collaborator;
    super(scope, id, props.workspace, p.role, {
      ticket: p.ticket ?? c.ticket,
      requestedBy: p.requestedBy ?? c.requestedBy,
      approvedBy: p.approvedBy ?? c.approvedBy,
      justification: p.justification,
    }, 'WorkspaceGrant', p.customPermissions);
    this.collaborator = c;
    this.expiresOn = p.expiresOn;
    this.environmentOverride = p.environmentOverride;
    this.overrideOf = p.overrideOf;
    this.workspace.registerGrant(this);
    this.addSourceAccessEntries(p.sourceAccess);
  }

  /** Whether the grant has ended by `now` (expiry dates are UTC days). */
  public isExpired(now: Date): boolean {
    return this.expiresOn !== undefined && Date.parse(`${this.expiresOn}T00:00:00Z`) <= now.getTime();
  }

  /** This grant's entry in the workspace's desired state. */
  public toDesiredCollaborator(): DesiredCollaborator {
    return this.desiredCache.get(this, '', () => {
      const c = this.collaborator;
      const b = this.body();
      // Keys in sorted order, as the desired state is written.
      return {
        allSources: b.allSources,
        audit: b.audit,
        destinations: b.destinations,
        displayName: c.displayName,
        email: c.email,
        expiresOn: this.expiresOn ?? null,
        fingerprint: b.fingerprint,
        kind: c.kind,
        organization: c.organization ?? null,
        path: b.path,
        permissions: b.permissions,
        role: b.role,
        sourceLabels: b.sourceLabels,
        sources: b.sources,
        warehouses: b.warehouses,
      };
    });
  }

  /** What `cdktf plan` shows of this grant (keyed by email in the reconciler's triggers). */
  public planSummary(): Readonly<Record<string, string>> {
    const body = this.body();
    return {
      kind: this.collaborator.kind,
      role: this.role,
      permissions: describeGrantPermissions(body, this.workspace.resourceNames),
      destinations: body.destinations.length ? body.destinations.map((d) => `${d.name} via ${d.sourceName}`).join('; ') : 'none',
      expires: this.expiresOn ?? 'never',
      ticket: body.audit.ticket ?? 'none',
    };
  }

  public static isWorkspaceGrant(x: unknown): x is WorkspaceGrant {
    return x instanceof WorkspaceGrant;
  }
}
