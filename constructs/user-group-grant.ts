import { Construct } from 'constructs';
import { DerivedTriggersResource } from './derived-triggers-resource';
import { z } from 'zod';
import { WorkspaceRole } from '../model/enums';
import { describePermissions } from '../model/canonical';
import type { DesiredGroupGrant, GrantBody } from '../model/desired-state';
import { parseInput } from '../model/validation';
import { GrantBase } from './grant-base';
import type { SegmentWorkspace } from './segment-workspace';
import type { SourceAccessProps } from './source-access';
import { nonEmpty, optionalText } from './schemas';
import { terraformName } from './terraform-names';

export interface UserGroupGrantOptions {
  /** Name of the Segment user group, exactly as the identity provider (SCIM) creates it. */
  readonly groupName: string;
  /** The role preset the group's members get. */
  readonly role: WorkspaceRole;
  /** Why the group needs this role. @default - none */
  readonly justification?: string;
  /** Ticket or approval reference. @default - none */
  readonly ticket?: string;
  /** Who requested it. @default - none */
  readonly requestedBy?: string;
  /** Who approved it. @default - none */
  readonly approvedBy?: string;
  /** SourceAccess entries, each as `addSourceAccess(id, props)` would add it. @default {} */
  readonly sourceAccess?: Record<string, SourceAccessProps>;
}

export interface UserGroupGrantProps extends UserGroupGrantOptions {
  /** The workspace the group belongs to. Must be in the same stack. */
  readonly workspace: SegmentWorkspace;
}

const GroupGrantPropsSchema = z
  .object({
    workspace: z.any(),
    groupName: nonEmpty('the user group name'),
    role: z.enum(WorkspaceRole),
    justification: optionalText('a justification'),
    ticket: optionalText('a ticket or approval reference'),
    requestedBy: optionalText('who requested the access'),
    approvedBy: optionalText('who approved the access'),
    sourceAccess: z.record(z.string(), z.any()).default({}),
  })
  .strict();

/**
 * Permissions for a user group the identity provider manages. The executor sets the group's
 * permissions and never changes its membership (SCIM owns that).
 */
export class UserGroupGrant extends GrantBase {
  public readonly groupName: string;
  public readonly justification?: string;
  public readonly ticket?: string;
  public readonly requestedBy?: string;
  public readonly approvedBy?: string;
  public readonly resource: DerivedTriggersResource;

  constructor(scope: Construct, id: string, props: UserGroupGrantProps) {
    const p = parseInput(GroupGrantPropsSchema, props, `UserGroupGrant "${scope.node.path}/${id}"`, {
      role: 'use WorkspaceRole.OWNER, ADMIN, MEMBER or READ_ONLY.',
      groupName: 'give the group name exactly as your identity provider syncs it to Segment.',
    });
    super(scope, id, props.workspace, p.role, 'UserGroupGrant');
    this.groupName = p.groupName;
    this.justification = p.justification;
    this.ticket = p.ticket;
    this.requestedBy = p.requestedBy;
    this.approvedBy = p.approvedBy;
    this.workspace.registerGroupGrant(this);
    for (const [accessId, accessProps] of Object.entries(p.sourceAccess)) this.addSourceAccess(accessId, accessProps as SourceAccessProps);

    this.resource = new DerivedTriggersResource(this, 'Grant', () => ({
      group: this.groupName,
      workspace: `${this.workspace.displayName} (${this.workspace.workspaceId})`,
      role: this.role,
      permissions: describePermissions(this.body().permissions, this.workspace.resourceNames),
    }));
    this.resource.overrideLogicalId(terraformName('group_grant', this.workspace.node.id, id));
  }

  protected audit(): GrantBody['audit'] {
    return {
      ticket: this.ticket ?? null,
      requestedBy: this.requestedBy ?? null,
      approvedBy: this.approvedBy ?? null,
      justification: this.justification ?? null,
    };
  }

  public toDesiredGroupGrant(): DesiredGroupGrant {
    return { ...this.body(), groupName: this.groupName };
  }

  public static isUserGroupGrant(x: unknown): x is UserGroupGrant {
    return x instanceof UserGroupGrant;
  }
}
