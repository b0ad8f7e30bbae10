import { App } from '../../framework';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { startEmulator, RunningEmulator } from '../../emulator/server';
import type { Seed } from '../../emulator/seed';
import { findRoleById } from '../../emulator/roles';
import { Environment } from '../../model/enums';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import type { AccessDefinition } from '../../stacks/access-definition';
import { deployStackLogged, DeployResult, stateResources } from './terraform';

export const E2E_WS = 'wsE2eProd01';
export const E2E_TOKEN = 'e2e-prod-token-9f8e7d6c5b4a';
export const OWNER = 'it-admin@acme.example';
/** A second automation token on the workspace: another actor in the audit trail, not this app. */
export const E2E_OTHER_TOKEN = 'e2e-other-automation-token-5e6f7a';
export const OTHER_ACTOR = { actor: 'api-token:other-automation' };
/** A token that acts as a signed-in person: the audit trail names the person (actorEmail), as for changes made in the Segment app. */
export const E2E_PERSON_TOKEN = 'e2e-signed-in-person-token-8b9c0d';
export const PERSON_ACTOR = { actor: 'usr_ops', actorEmail: 'ops@acme.example' };
/** The record key of the tests (a test value: real keys come from `segment-access keygen` and a CI secret). */
export const E2E_RECORD_KEY = 'sark_xicZWbtcH_NnzvNFlDoGoUEnb8N1pNIq40fG19pravA';
/** A second key, for rotation and "wrong key" cases. */
export const E2E_RECORD_KEY_NEXT = 'sark_UzT0aJTBAFncyZNNCRKs5ZCHpsixNXBYBom1qkgPN8k';
export const UNMANAGED = 'marketing@acme.example';

const EXECUTOR = resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const BUNDLED_EXECUTOR = resolve(__dirname, '..', '..', 'dist', 'executor', 'segment-access-executor.cjs');

export function e2eSeed(overrides: Partial<Seed['workspaces'][number]> = {}): Seed {
  return {
    workspaces: [
      {
        id: E2E_WS,
        slug: 'acme-e2e',
        name: 'Acme E2E',
        tokens: [E2E_TOKEN, E2E_OTHER_TOKEN, E2E_PERSON_TOKEN],
        tokenActors: { [E2E_OTHER_TOKEN]: OTHER_ACTOR, [E2E_PERSON_TOKEN]: PERSON_ACTOR },
        sources: [
          { id: 'srcWeb', name: 'web', labels: { environment: 'prod' } },
          { id: 'srcIos', name: 'ios', labels: { environment: 'prod' } },
        ],
        warehouses: [{ id: 'whSnow', name: 'snowflake' }],
        users: [
          { name: 'IT Admin', email: OWNER, permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: E2E_WS }] }] },
          {
            name: 'Marketing',
            email: UNMANAGED,
            permissions: [
              { roleName: 'Minimal Workspace Access', resources: [{ type: 'WORKSPACE', id: E2E_WS }] },
              { roleName: 'Source Read-only', resources: [{ type: 'SOURCE', id: 'srcWeb' }] },
            ],
          },
        ],
        ...overrides,
      },
    ],
  } as Seed;
}

/** A workspace and a test world: emulator, synth into a temp dir, the real terraform binary. */
export class E2EWorld {
  public readonly dir = mkdtempSync(join(tmpdir(), 'sa-e2e-'));
  public readonly outdir = join(this.dir, 'cdktf.out');
  public readonly logs: string[] = [];
  private readonly binDir = join(this.dir, 'bin');

  private constructor(public readonly emulator: RunningEmulator) {
    for (const built of [EXECUTOR, BUNDLED_EXECUTOR]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` (npm test does) before the end-to-end tests.`);
    }
    mkdirSync(this.binDir);
    // As when the package is installed: `segment-access` on PATH is the compiled CLI (Terraform itself
    // runs the bundled executor that synth copies beside the stack).
    symlinkSync(EXECUTOR, join(this.binDir, 'segment-access'));
  }

  public static async start(seed: Seed = e2eSeed(), rateLimit = { writesPerWindow: 1000, windowMs: 60_000 }): Promise<E2EWorld> {
    return new E2EWorld(await startEmulator({ seed, rateLimit }));
  }

  /** Another app (its own synth output and Terraform state) deploying to the same workspace. */
  public static sharing(other: E2EWorld): E2EWorld {
    const world = new E2EWorld(other.emulator);
    world.sharesEmulator = true;
    return world;
  }

  private sharesEmulator = false;

  public get env(): NodeJS.ProcessEnv {
    return {
      PATH: `${this.binDir}:${process.env.PATH}`,
      HOME: process.env.HOME,
      PUBLIC_API_URL: this.emulator.url,
      SEGMENT_E2E_TOKEN: E2E_TOKEN,
      SEGMENT_ACCESS_RECORD_KEY: E2E_RECORD_KEY,
      // The executor's clock, pinned like synth's: record days and expiry must not depend on the test date.
      SEGMENT_ACCESS_NOW: '2026-11-27T12:00:00Z',
      // The emulator's audit trail has no delay; Segment's default allowance (5 minutes) would keep
      // settled changes unsettled between the runs of a test.
      SEGMENT_ACCESS_AUDIT_DELAY_MS: '0',
    };
  }

  /** `cdktf synth` of the prod stack of a definition, "now" pinned. */
  public synth(definition: AccessDefinition, now = '2026-11-27T12:00:00Z'): void {
    rmSync(this.outdir, { recursive: true, force: true });
    const app = new App({ outdir: this.outdir, context: { [NOW_CONTEXT_KEY]: now } });
    // The stack's default local backend (relative to the stack directory) keeps state in this.dir.
    new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
    app.synth();
  }

  public get stackDir(): string {
    return join(this.outdir, 'stacks', 'prod');
  }

  /** `cdktf deploy` (or destroy) of the prod stack with the real terraform binary; its output lands in `logs`. */
  public async deploy(mode: 'apply' | 'destroy' = 'apply', extraEnv: NodeJS.ProcessEnv = {}, onSpawn?: (pid: number) => void): Promise<DeployResult> {
    return deployStackLogged(this.logs, this.stackDir, { ...this.env, ...extraEnv }, mode, onSpawn);
  }

  /** The stack's Terraform state: each resource and whether it is tainted. */
  public state() {
    return stateResources(this.stackDir, this.env);
  }

  public users(): { id: string; email: string; roles: string[] }[] {
    return this.emulator.state.listUsers(E2E_WS).map((u) => ({ id: u.id, email: u.email, roles: roleNames(u.permissions) }));
  }

  public invites(): { email: string; roles: string[] }[] {
    return this.emulator.state
      .listInvites(E2E_WS)
      .map((i) => ({ email: i.email, roles: roleNames(i.permissions) }))
      .sort((a, b) => a.email.localeCompare(b.email));
  }

  public user(email: string) {
    return this.users().find((u) => u.email === email);
  }

  public recordGroups() {
    return this.emulator.state.listGroups(E2E_WS).filter((g) => g.name.startsWith('segment-access:'));
  }

  public writes(): number {
    return this.emulator.stats().writes;
  }

  /** Every file under a directory, for secret scans. */
  public files(dir = this.dir): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isSymbolicLink?.()) return [];
      return statSync(p).isDirectory() ? this.files(p) : [p];
    });
  }

  /** Every text file (Terraform state and plans included, not binaries) and every log line. */
  public readAll(): string {
    const text = this.files()
      .filter((f) => !f.endsWith('segment-access') && !f.includes(`${join('.terraform', 'providers')}`))
      .map((f) => readFileSync(f).toString('latin1'));
    return [...text, ...this.logs].join('\n');
  }

  public async stop(): Promise<void> {
    if (!this.sharesEmulator) await this.emulator.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function roleNames(permissions: { roleId: string; resources: { id: string; type: string }[] }[]): string[] {
  return permissions
    .flatMap((p) => p.resources.map((r) => `${findRoleById(p.roleId)?.name ?? p.roleId}@${r.type === 'WORKSPACE' ? 'ws' : r.id}`))
    .sort();
}
