import { DESIRED_STATE_VERSION, DesiredCollaborator, DesiredPermission, DesiredState } from '../../model/desired-state';
import { AccessLevel, CollaboratorKind, Region, ResourceType, WorkspaceRole } from '../../model/enums';
import { permissionsFingerprint } from '../../model/canonical';

export const WS_ID = 'ws_test_1';

export function onWorkspace(...roleNames: string[]): DesiredPermission[] {
  return roleNames.map((roleName) => ({ roleName, resources: [{ type: ResourceType.WORKSPACE, id: WS_ID, labels: [] }] }));
}

export function desiredCollaborator(email: string, permissions: DesiredPermission[], extra: Partial<DesiredCollaborator> = {}): DesiredCollaborator {
  return {
    email,
    displayName: email,
    organization: null,
    kind: CollaboratorKind.SERVICE_ACCOUNT,
    role: WorkspaceRole.READ_ONLY,
    permissions,
    fingerprint: permissionsFingerprint(permissions),
    expiresOn: null,
    allSources: null,
    sources: [],
    sourceLabels: [],
    destinations: [],
    warehouses: [],
    audit: { ticket: 'T-1', requestedBy: 'a@acme.example', approvedBy: null, justification: null },
    path: `test/Workspace/${email}`,
    ...extra,
  };
}

export function desiredState(collaborators: DesiredCollaborator[], extra: Partial<DesiredState> = {}, seatLimit: number | null = null): DesiredState {
  return {
    schemaVersion: DESIRED_STATE_VERSION,
    stack: 'test',
    workspace: {
      id: WS_ID,
      slug: 'acme-test',
      name: 'Acme Test',
      environment: 'prod',
      region: Region.US,
      appUrl: 'https://app.segment.com/acme-test',
      tokenEnvVar: 'SEGMENT_TEST_TOKEN',
      seatLimit,
      sso: { enforced: false, domains: [] },
      scim: { enabled: false },
      accessContact: null,
    },
    management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: false, retain: [] },
    collaborators,
    groupGrants: [],
    expired: [],
    ...extra,
  };
}

export { AccessLevel };

/** A group grant of `permissions` to the user group named `groupName`. */
export function desiredGroupGrant(groupName: string, permissions: DesiredPermission[]): DesiredState['groupGrants'][number] {
  const { email: _e, displayName: _d, organization: _o, kind: _k, expiresOn: _x, ...body } = desiredCollaborator('unused@x.example', permissions);
  return { ...body, groupName };
}
