import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../../model/enums';
import type { AccessDefinition, CollaboratorAccess, GroupAccess } from '../../stacks/access-definition';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import { E2E_WS } from './e2e';

export function e2eDefinition(collaborators: CollaboratorAccess[], workspace: Partial<SegmentWorkspaceProps> = {}, groupGrants: GroupAccess[] = []): AccessDefinition {
  return {
    workspaces: {
      [Environment.PROD]: {
        workspaceId: E2E_WS,
        slug: 'acme-e2e',
        displayName: 'Acme E2E',
        environment: Environment.PROD,
        tokenEnvVar: 'SEGMENT_E2E_TOKEN',
        sources: [
          { id: 'srcWeb', name: 'web', labels: { environment: 'prod' } },
          { id: 'srcIos', name: 'ios', labels: { environment: 'prod' } },
        ],
        warehouses: [{ id: 'whSnow', name: 'snowflake' }],
        ...workspace,
      },
    },
    collaborators,
    groupGrants,
  };
}

/** A service account with a grant; role and extra grant fields vary per test. */
export function collaboratorAccess(
  name: string,
  role: WorkspaceRole = WorkspaceRole.MEMBER,
  grant: Partial<CollaboratorAccess['grant']> = {},
): CollaboratorAccess {
  return {
    id: name,
    email: `${name.toLowerCase()}@agency.example`,
    displayName: name,
    organization: 'Agency',
    kind: CollaboratorKind.SERVICE_ACCOUNT,
    requestedBy: 'lead@acme.example',
    approvedBy: 'cto@acme.example',
    ticket: 'ACCESS-7',
    grant: {
      role,
      justification: `${name} needs ${role} for the engagement.`,
      ...(role === WorkspaceRole.MEMBER ? { sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } } : {}),
      ...grant,
    },
  };
}
