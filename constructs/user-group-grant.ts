import { Construct } from 'constructs';
import { z } from 'zod';
import { describeGrantPermissions } from '../model/canonical';
import type { DesiredGroupGrant } from '../model/desired-state';
import { parseInput } from '../model/validation';
import { GRANT_FIX_HINTS, GrantBase, GrantCommonOptions, grantCommonFields } from './grant-base';
import type { SegmentWorkspace } from './segment-workspace';
import { nonEmpty } from './schemas';

export interface UserGroupGrantOptions extends GrantCommonOptions {
  /** Name of the Segment user group, exactly as the identity provider (SCIM) creates it. */
  readonly groupName: string;
}

export interface UserGroupGrantProps extends UserGroupGrantOptions {
  /** The workspace the group belongs to. Must be in the same stack. */
  readonly workspace: SegmentWorkspace;
}

const GroupGrantPropsSchema = z.object({ ...grantCommonFields, groupName: nonEmpty('the user group name') }).strict();

/**
 * Permissions for a user group the identity provider manages. The executor sets the group's
 * permissions and never changes its membership (SCIM owns that).
 */
export class UserGroupGrant extends GrantBase {
  public readonly groupName: string;

  constructor(scope: Construct, id: string, props: UserGroupGrantProps) {
    const p = parseInput(GroupGrantPropsSchema, props, `UserGroupGrant "${scope.node.path}/${id}"`, {
      ...GRANT_FIX_HINTS,
      groupName: 'give the group name exactly as your identity provider syncs it to Segment.',
    });
    super(scope, id, props.workspace, p.role, p, 'UserGroupGrant', p.customPermissions);
    this.groupName = p.groupName;
    this.workspace.registerGroupGrant(this);
    this.addSourceAccessEntries(p.sourceAccess);
  }

  /** What `cdktf plan` shows of this grant (keyed by group name in the reconciler's triggers). */
  public planSummary(): Readonly<Record<string, string>> {
    return {
      role: this.role,
      permissions: describeGrantPermissions(this.body(), this.workspace.resourceNames),
      ticket: this.body().audit.ticket ?? 'none',
    };
  }

  public toDesiredGroupGrant(): DesiredGroupGrant {
    const b = this.body();
    return { allSources: b.allSources, audit: b.audit, destinations: b.destinations, fingerprint: b.fingerprint, groupName: this.groupName, path: b.path, permissions: b.permissions, role: b.role, sourceLabels: b.sourceLabels, sources: b.sources, warehouses: b.warehouses };
  }

  public static isUserGroupGrant(x: unknown): x is UserGroupGrant {
    return x instanceof UserGroupGrant;
  }
}
