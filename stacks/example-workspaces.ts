import { Environment } from '../model/enums';
import type { SegmentWorkspaceProps } from '../constructs/segment-workspace-props';
import type { AccessDefinition } from './access-definition';
import type { AccessRequests } from '../requests/load';

/**
 * This repo's own app: Acme's three Segment workspaces. The workspace configuration is code the
 * platform team owns (CODEOWNERS); who gets access is data, in access.yaml at the repo root.
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

export const EXAMPLE_WORKSPACES: AccessDefinition['workspaces'] = {
  [Environment.PROD]: acmeWorkspace(Environment.PROD, 'AcmeProdWs7Qd2', 25),
  [Environment.STAGING]: acmeWorkspace(Environment.STAGING, 'AcmeStageWs4Lk9', 25),
  [Environment.DEV]: acmeWorkspace(Environment.DEV, 'AcmeDevWs1Xp3', 40),
};

/** The example app's definition: the workspaces (code) joined with the requests (data). */
export function exampleDefinition(requests: AccessRequests): AccessDefinition {
  return { workspaces: EXAMPLE_WORKSPACES, ...requests };
}
