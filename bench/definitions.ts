import { generateRecordKey, RecordKeyring } from '../reconciler/record-key';
import { DEFAULT_RECORD_KEY_ENV_VAR } from '../model/desired-state';
import { App } from '../framework';
import { dump as stringify } from 'js-yaml';
import { NOW_CONTEXT_KEY } from '../constructs/synth-clock';
import type { SegmentWorkspaceProps } from '../constructs/segment-workspace-props';
import type { Seed } from '../emulator/seed';
import type { DesiredState } from '../model/desired-state';
import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../model/enums';
import type { AccessDefinition, CollaboratorAccess } from '../stacks/access-definition';
import { SegmentAccessStack } from '../stacks/segment-access-stack';

/** "now" pinned for every synth in the benchmark. */
export const BENCH_NOW = '2026-11-27T12:00:00Z';
export const ENVIRONMENTS: readonly Environment[] = [Environment.PROD, Environment.STAGING, Environment.DEV];
export const WORKSPACE_IDS: Readonly<Record<Environment, string>> = {
  [Environment.PROD]: 'BenchProdWs01',
  [Environment.STAGING]: 'BenchStageWs01',
  [Environment.DEV]: 'BenchDevWs01',
};
export const TOKEN_ENV_VAR = 'SEGMENT_BENCH_TOKEN';
export const BENCH_TOKEN = 'bench-token-2f9c41d8e7a6';
/** The bench's record key: a fresh one per bench run (never a fixed, known key). */
export const BENCH_RECORD_KEY = generateRecordKey();
export const BENCH_KEYS = RecordKeyring.of(DEFAULT_RECORD_KEY_ENV_VAR, BENCH_RECORD_KEY);
export const OWNER_EMAIL = 'it-admin@acme.example';
const COMPANY_DOMAIN = 'northwind-analytics.example';
const SOURCE_NAMES = ['web', 'ios', 'server'] as const;

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function sourcesOf(environment: Environment): { id: string; name: string; labels: Record<string, string> }[] {
  return SOURCE_NAMES.map((name) => ({ id: `src${cap(environment)}${cap(name)}01`, name, labels: { environment, platform: name } }));
}

function warehouseOf(environment: Environment): { id: string; name: string } {
  return { id: `wh${cap(environment)}Snow01`, name: 'snowflake' };
}

function workspace(environment: Environment, n: number): SegmentWorkspaceProps {
  return {
    workspaceId: WORKSPACE_IDS[environment],
    slug: `bench-${environment}`,
    displayName: `Bench ${cap(environment)}`,
    environment,
    tokenEnvVar: TOKEN_ENV_VAR,
    seatLimit: n + 100,
    sso: { enforced: environment === Environment.PROD, domains: ['acme.example', COMPANY_DOMAIN] },
    accessContact: 'it-access@acme.example',
    sources: sourcesOf(environment),
    warehouses: [warehouseOf(environment)],
  };
}

export type Preset = 'ADMIN' | 'MEMBER' | 'READ_ONLY';

/** The preset collaborator i gets: 5 % ADMIN, ~50 % MEMBER (a source by name), the rest READ_ONLY. */
export function presetOf(i: number): Preset {
  if (i % 20 === 0) return 'ADMIN';
  return i % 2 === 1 ? 'MEMBER' : 'READ_ONLY';
}

function pad(i: number): string {
  return String(i).padStart(5, '0');
}

export function emailOf(i: number): string {
  return `svc-${pad(i)}@${COMPANY_DOMAIN}`;
}

function collaborator(i: number, preset: Preset, changed: boolean): CollaboratorAccess {
  const base = {
    id: `Collaborator${pad(i)}`,
    email: emailOf(i),
    displayName: `Northwind service account ${pad(i)}`,
    organization: 'Northwind Analytics',
    kind: CollaboratorKind.SERVICE_ACCOUNT,
    requestedBy: 'dana.lee@acme.example',
    approvedBy: 'cto@acme.example',
    ticket: `ACCESS-${10000 + i}`,
  };
  if (changed) {
    // Role change used by the "change 10 roles" scenario: READ_ONLY -> MEMBER, read-only on "web".
    return {
      ...base,
      grant: {
        role: WorkspaceRole.MEMBER,
        justification: 'Moved to the web tracking team.',
        sourceAccess: { Tracking: { level: AccessLevel.READ_ONLY, sources: ['web'] } },
      },
    };
  }
  if (preset === 'ADMIN') {
    return { ...base, grant: { role: WorkspaceRole.ADMIN, justification: 'Owns the workspace configuration for the agency engagement.' } };
  }
  if (preset === 'MEMBER') {
    return {
      ...base,
      grant: {
        role: WorkspaceRole.MEMBER,
        justification: 'Implements tracking for one source.',
        sourceAccess: {
          Tracking: { level: i % 4 === 1 ? AccessLevel.ADMIN : AccessLevel.READ_ONLY, sources: [SOURCE_NAMES[Math.floor(i / 2) % SOURCE_NAMES.length]] },
        },
      },
    };
  }
  return { ...base, grant: { role: WorkspaceRole.READ_ONLY, justification: 'Reads schemas and delivery metrics.' } };
}

/** The 10 (or `count`) READ_ONLY collaborators, evenly spread, whose role the change scenario switches. */
export function changedIndices(n: number, count = 10): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (presetOf(i) === 'READ_ONLY') candidates.push(i);
  const step = Math.max(1, Math.floor(candidates.length / count));
  return candidates.filter((_, k) => k % step === 0).slice(0, count);
}

/** The three workspaces (the code side of the definition), sized for n collaborators. */
export function benchWorkspaces(n: number): AccessDefinition['workspaces'] {
  return Object.fromEntries(ENVIRONMENTS.map((e) => [e, workspace(e, n)]));
}

/** N collaborators with mixed presets, the same grant in all three environments. */
export function benchDefinition(n: number, changed: ReadonlySet<number> = new Set()): AccessDefinition {
  const collaborators: CollaboratorAccess[] = [];
  for (let i = 0; i < n; i++) collaborators.push(collaborator(i, presetOf(i), changed.has(i)));
  return { workspaces: benchWorkspaces(n), collaborators };
}

/** The same N collaborators as an access requests file (access.yaml). */
export function benchRequestsYaml(n: number): string {
  return stringify({ version: 1, collaborators: benchDefinition(n).collaborators });
}

/** Builds the three stacks (no synth). */
export function buildApp(definition: AccessDefinition, outdir: string, environments: readonly Environment[] = ENVIRONMENTS): { app: App; stacks: SegmentAccessStack[] } {
  const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: BENCH_NOW } });
  const stacks = environments.map((environment) => new SegmentAccessStack(app, environment, { definition, environment }));
  return { app, stacks };
}

/** The prod workspace's desired state for a definition, built in-process (construction only, nothing written). */
export function prodDesiredState(definition: AccessDefinition, outdir: string): DesiredState {
  const { stacks } = buildApp(definition, outdir, [Environment.PROD]);
  return stacks[0].workspace.desiredState(new Date(BENCH_NOW));
}

/** An emulator seed for the prod workspace: its catalog and one owner, no collaborators. */
export function emptyProdSeed(): Seed {
  const env = Environment.PROD;
  const id = WORKSPACE_IDS[env];
  return {
    workspaces: [
      {
        id,
        slug: `bench-${env}`,
        name: `Bench ${cap(env)}`,
        tokens: [BENCH_TOKEN],
        sources: sourcesOf(env),
        warehouses: [warehouseOf(env)],
        users: [{ name: 'IT Admin', email: OWNER_EMAIL, permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id }] }] }],
      },
    ],
  };
}
