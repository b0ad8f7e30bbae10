import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../model/enums';
import type { SegmentWorkspaceProps } from '../constructs/segment-workspace-props';
import type { AccessDefinition } from './access-definition';

/**
 * This repo's own app: Acme's three Segment workspaces and the agency (Northwind Analytics) that
 * implements its tracking. A realistic definition to copy from.
 */
function acmeWorkspace(environment: Environment, workspaceId: string, seatLimit: number): SegmentWorkspaceProps {
  const env = environment.charAt(0).toUpperCase() + environment.slice(1);
  return {
    workspaceId,
    slug: `acme-${environment}`,
    displayName: `Acme ${environment === Environment.PROD ? 'Production' : environment === Environment.STAGING ? 'Staging' : 'Development'}`,
    environment,
    // Names the record of managed users in each workspace: another repo sharing a workspace picks its own.
    appId: 'acme-access',
    tokenEnvVar: `SEGMENT_${environment.toUpperCase()}_TOKEN`,
    seatLimit,
    sso: { enforced: environment === Environment.PROD, domains: ['acme.example', 'northwind-analytics.example', 'contractors.acme.example'] },
    accessContact: 'it-access@acme.example (#segment-access on Slack)',
    sources: [
      { id: `src${env}Web01`, name: 'web', labels: { environment, platform: 'web' } },
      { id: `src${env}Ios01`, name: 'ios', labels: { environment, platform: 'ios' } },
      { id: `src${env}Srv01`, name: 'server', labels: { environment, platform: 'server' } },
    ],
    warehouses: [{ id: `wh${env}Snow01`, name: 'snowflake' }],
  };
}

export const EXAMPLE_ACCESS: AccessDefinition = {
  workspaces: {
    [Environment.PROD]: acmeWorkspace(Environment.PROD, 'AcmeProdWs7Qd2', 25),
    [Environment.STAGING]: acmeWorkspace(Environment.STAGING, 'AcmeStageWs4Lk9', 25),
    [Environment.DEV]: acmeWorkspace(Environment.DEV, 'AcmeDevWs1Xp3', 40),
  },
  collaborators: [
    {
      id: 'NorthwindImplementation',
      email: 'segment@northwind-analytics.example',
      displayName: 'Northwind Analytics implementation team',
      organization: 'Northwind Analytics',
      requestedBy: 'dana.lee@acme.example',
      approvedBy: 'cto@acme.example',
      ticket: 'ACCESS-1042',
      grant: {
        role: WorkspaceRole.MEMBER,
        justification: 'Implements web and iOS tracking and runs the Amplitude destination.',
        sourceAccess: {
          Tracking: {
            level: AccessLevel.ADMIN,
            sources: ['web', 'ios'],
            destinations: [{ name: 'Amplitude', source: 'web' }],
          },
        },
      },
    },
    {
      id: 'NorthwindLead',
      email: 'priya.shah@northwind-analytics.example',
      displayName: 'Priya Shah',
      organization: 'Northwind Analytics',
      kind: CollaboratorKind.PERSON,
      requestedBy: 'dana.lee@acme.example',
      approvedBy: 'cto@acme.example',
      ticket: 'ACCESS-1043',
      grant: {
        role: WorkspaceRole.READ_ONLY,
        justification: 'Reviews production data quality; changes go through the implementation account.',
        expiresOn: '2027-05-14',
      },
      environments: {
        [Environment.DEV]: {
          role: WorkspaceRole.ADMIN,
          reason: 'Sets up new sources and destinations in dev before they are promoted.',
          justification: 'Owns the dev workspace configuration during the 2027 H1 engagement.',
        },
      },
    },
    {
      id: 'ReportingService',
      email: 'bi-reporting@acme.example',
      displayName: 'Acme BI reporting',
      organization: 'Acme',
      requestedBy: 'bi-team@acme.example',
      approvedBy: 'data-governance@acme.example',
      ticket: 'ACCESS-0977',
      grant: { role: WorkspaceRole.READ_ONLY, justification: 'Reads schemas and delivery metrics for dashboards.' },
    },
    {
      id: 'QaContractor',
      email: 'jonas.weber@contractors.acme.example',
      displayName: 'Jonas Weber',
      organization: 'Weber QA Consulting',
      kind: CollaboratorKind.CONTRACTOR,
      requestedBy: 'dana.lee@acme.example',
      approvedBy: 'cto@acme.example',
      ticket: 'ACCESS-1101',
      grant: {
        role: WorkspaceRole.MEMBER,
        justification: 'Verifies the iOS tracking plan before release.',
        expiresOn: '2027-02-26',
        sourceAccess: { IosQa: { level: AccessLevel.READ_ONLY, sources: ['ios'] } },
      },
      environments: {
        [Environment.PROD]: { reason: 'QA happens before release: no production access.', absent: true },
      },
    },
  ],
};
