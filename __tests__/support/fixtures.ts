import { Construct } from 'constructs';
import { Environment } from '../../model/enums';
import { SegmentWorkspace } from '../../constructs/segment-workspace';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import { SegmentCollaborator, SegmentCollaboratorProps } from '../../constructs/segment-collaborator';

export function workspaceProps(overrides: Partial<SegmentWorkspaceProps> = {}): SegmentWorkspaceProps {
  return {
    workspaceId: 'ws_test_1',
    slug: 'acme-test',
    displayName: 'Acme Test',
    environment: Environment.PROD,
    tokenEnvVar: 'SEGMENT_TEST_TOKEN',
    sources: [
      { id: 'src_web', name: 'web', labels: { environment: 'prod' } },
      { id: 'src_ios', name: 'ios', labels: { environment: 'prod' } },
      { id: 'src_lab', name: 'lab', labels: { environment: 'staging' } },
    ],
    warehouses: [{ id: 'wh_snow', name: 'snowflake' }],
    ...overrides,
  };
}

export function workspace(scope: Construct, overrides: Partial<SegmentWorkspaceProps> = {}, id = 'Workspace'): SegmentWorkspace {
  return new SegmentWorkspace(scope, id, workspaceProps(overrides));
}

export function collaborator(scope: Construct, id: string, overrides: Partial<SegmentCollaboratorProps> = {}): SegmentCollaborator {
  return new SegmentCollaborator(scope, id, {
    email: `${id.toLowerCase()}@agency.example`,
    displayName: id,
    organization: 'Agency',
    requestedBy: 'lead@acme.example',
    approvedBy: 'cto@acme.example',
    ticket: 'ACCESS-1',
    ...overrides,
  });
}
