import { Environment } from '../model/enums';
import { stringLiteral } from '../importer/ts-literals';
import type { Seed } from '../emulator/seed';

/** A workspace of a new repo: placeholders a team replaces, valid as they are so the first synth and the emulator work. */
export interface ScaffoldWorkspace {
  readonly environment: Environment;
  readonly workspaceId: string;
  readonly slug: string;
  readonly displayName: string;
  readonly tokenEnvVar: string;
  readonly seatLimit: number;
  readonly sources: readonly { readonly id: string; readonly name: string }[];
}

const TITLES: Readonly<Record<Environment, string>> = { [Environment.PROD]: 'Production', [Environment.STAGING]: 'Staging', [Environment.DEV]: 'Development' };

/** prod, staging and dev, with ids that say they are to be replaced (the executor checks `GET /` returns the declared id before any write). */
export function scaffoldWorkspaces(appId: string): ScaffoldWorkspace[] {
  return [Environment.PROD, Environment.STAGING, Environment.DEV].map((environment) => ({
    environment,
    workspaceId: `TODO-${environment}-workspace-id`,
    slug: `${appId}-${environment}`,
    displayName: TITLES[environment],
    tokenEnvVar: `SEGMENT_${environment.toUpperCase()}_TOKEN`,
    seatLimit: 25,
    sources: [
      { id: `TODO-${environment}-web-source-id`, name: 'web' },
      { id: `TODO-${environment}-ios-source-id`, name: 'ios' },
    ],
  }));
}

const ENV_MEMBER: Readonly<Record<Environment, string>> = { [Environment.PROD]: 'PROD', [Environment.STAGING]: 'STAGING', [Environment.DEV]: 'DEV' };

/** workspaces.ts: the workspace configuration as code, every placeholder marked TODO. */
export function renderWorkspacesModule(workspaces: readonly ScaffoldWorkspace[], appId: string): string {
  const q = stringLiteral;
  const blocks = workspaces.map((w) =>
    [
      `  [Environment.${ENV_MEMBER[w.environment]}]: {`,
      `    workspaceId: ${q(w.workspaceId)}, // TODO(segment-access init): the workspace's id (Settings > Workspace settings)`,
      `    slug: ${q(w.slug)}, // TODO(segment-access init): the part after app.segment.com/`,
      `    displayName: ${q(w.displayName)}, // TODO(segment-access init): the workspace's name, as reports show it`,
      `    environment: Environment.${ENV_MEMBER[w.environment]},`,
      `    tokenEnvVar: ${q(w.tokenEnvVar)}, // TODO(segment-access init): the NAME of the variable (a CI secret) holding its Public API token`,
      `    appId: APP_ID,`,
      `    seatLimit: ${w.seatLimit}, // TODO(segment-access init): your plan's seats; checked before any invite`,
      `    // TODO(segment-access init): the sources people get access to, by the name access.yaml uses.`,
      `    sources: [${w.sources.map((s) => `{ id: ${q(s.id)}, name: ${q(s.name)} }`).join(', ')}],`,
      '  },',
    ].join('\n'),
  );
  return [
    '// The workspace configuration: code the platform team owns (CODEOWNERS). Who gets access is data, in',
    '// access.yaml. Every setting here shows in `cdktf plan` by name, so a change to it is reviewed like access.',
    "import { AccessDefinition, Environment } from 'segment-access';",
    '',
    '// Names this repo\'s record of managed users in each workspace: keep it; another repo managing the same',
    '// workspace picks its own.',
    `export const APP_ID = ${q(appId)};`,
    '',
    "export const WORKSPACES: AccessDefinition['workspaces'] = {",
    ...blocks,
    '};',
    '',
  ].join('\n');
}

/**
 * The emulator seed for `segment-access demo`: the same workspaces, a demo token each (real tokens only
 * ever come from the environment), and one Workspace Owner who is not managed by this repo.
 */
export function scaffoldSeed(workspaces: readonly ScaffoldWorkspace[]): Seed {
  return {
    settings: { inviteExpiryDays: 7, protectLastOwner: true, enforceSeatLimits: true, strict: true },
    workspaces: workspaces.map((w) => ({
      id: w.workspaceId,
      slug: w.slug,
      name: w.displayName,
      tokens: [`demo-${w.environment}-token`],
      tokenActors: { [`demo-${w.environment}-token`]: { actor: `segment-access-ci (${w.environment})` } },
      planTier: 'business',
      seatLimit: w.seatLimit,
      sources: w.sources.map((s) => ({ id: s.id, name: s.name })),
      users: [{ name: 'Workspace owner (not managed here)', email: 'owner@example.com', permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: w.workspaceId }] }] }],
    })),
  } as Seed;
}
