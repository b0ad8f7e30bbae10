import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { SegmentApiClient } from '../api/client';
import type { ApiStats } from '../api/stats';
import { startEmulator, RunningEmulator } from '../emulator/server';
import { ROLE_CATALOG } from '../emulator/roles';
import type { DesiredState } from '../model/desired-state';
import { Environment } from '../model/enums';
import { reconcile } from '../reconciler/reconcile';
import { BENCH_KEYS, BENCH_NOW, BENCH_TOKEN, benchDefinition, changedIndices, emptyProdSeed, prodDesiredState, WORKSPACE_IDS } from './definitions';
import { progress } from './util';

export const PAGE = 200;
export const WS_ID = WORKSPACE_IDS[Environment.PROD];

export interface ApiSettings {
  readonly collaborators: number;
  readonly changes: number;
  /** Per endpoint, as Segment limits each IAM write endpoint (60 a minute). */
  readonly writesPerWindow: number;
  readonly windowMs: number;
}

/** Segment's own limits: 60 writes a minute per IAM write endpoint (SDK api/iAMUsersApi.ts). */
export const REAL_LIMITS = { writesPerWindow: 60, windowMs: 60_000 } as const;

/** One scenario's traffic, counted by the client and cross-checked against the emulator's own counters. */
export interface ScenarioResult {
  readonly calls: number;
  readonly reads: number;
  readonly writes: number;
  /** Writes that keep the record of managed users (record groups and their members). */
  readonly recordWrites: number;
  readonly rateLimited: number;
  readonly retries: number;
  /** Time the client spent waiting: pacing per endpoint plus retry backoff. */
  readonly waitedMs: number;
  /** The most writes sent to one endpoint: what per-endpoint pacing is bounded by. */
  readonly maxWritesPerEndpoint: number;
  readonly wallMs: number;
  /** wall x (60 000 / windowMs): the time the same run takes against Segment's real 60 writes/minute. */
  readonly scaledMs: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  /** The emulator's count of the same traffic. */
  readonly emulatorRequests: number;
  readonly emulatorRateLimited: number;
}

/** The two inputs: the prod desired state before and after changing `changes` roles. */
export interface ApiInputs {
  readonly before: DesiredState;
  readonly after: DesiredState;
  readonly changedEmails: readonly string[];
}

export function pages(items: number): number {
  return Math.max(1, Math.ceil(items / PAGE));
}

const RECORD_WRITE = /^(POST \/groups|POST \/groups\/\{id\}\/users|PUT \/group\/\{id\}\/users|DELETE \/group\/\{id\}\/users|DELETE \/groups\/\{id\})$/;

export function recordWritesOf(byEndpoint: Readonly<Record<string, number>>): number {
  return Object.entries(byEndpoint).reduce((sum, [endpoint, n]) => sum + (RECORD_WRITE.test(endpoint) ? n : 0), 0);
}

export function buildInputs(settings: ApiSettings): ApiInputs {
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-api-'));
  try {
    const changed = changedIndices(settings.collaborators, settings.changes);
    const before = prodDesiredState(benchDefinition(settings.collaborators), join(dir, 'a'));
    const after = prodDesiredState(benchDefinition(settings.collaborators, new Set(changed)), join(dir, 'b'));
    const beforeBy = new Map(before.collaborators.map((c) => [c.email, c.fingerprint]));
    const changedEmails = after.collaborators.filter((c) => beforeBy.get(c.email) !== c.fingerprint).map((c) => c.email);
    if (changedEmails.length !== settings.changes) throw new Error(`expected ${settings.changes} changed collaborators, got ${changedEmails.length}`);
    return { before, after, changedEmails };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Onboarding at Segment's real limits, not scaled: the emulator and the client both at 60 writes a
 * minute per endpoint. Per-endpoint pacing lets the invites, the record groups and their members go
 * on side by side; only an endpoint past 60 writes would wait.
 */
export async function measureOnboardingAtRealLimits(collaborators: number, inputs: ApiInputs): Promise<ScenarioResult> {
  const settings: ApiSettings = { collaborators, changes: 0, ...REAL_LIMITS };
  const emulator = await startBenchEmulator(settings);
  try {
    progress(`ours: onboarding ${collaborators} collaborators at Segment's real limits (60 writes/min per endpoint)`);
    const client = benchClient(emulator, settings);
    return await measureScenario(emulator, client, settings, async () => {
      const r = await reconcile({ api: client, desired: inputs.before, now: new Date(BENCH_NOW), keys: BENCH_KEYS });
      check(r.counts.invited === collaborators, `onboarding at real limits invited ${r.counts.invited}, expected ${collaborators}`);
    });
  } finally {
    await emulator.stop();
  }
}

export function startBenchEmulator(settings: ApiSettings): Promise<RunningEmulator> {
  return startEmulator({ seed: emptyProdSeed(), rateLimit: { writesPerWindow: settings.writesPerWindow, windowMs: settings.windowMs } });
}

export function benchClient(emulator: RunningEmulator, settings: ApiSettings): SegmentApiClient {
  return new SegmentApiClient({ token: BENCH_TOKEN, baseUrl: emulator.url, writesPerWindow: settings.writesPerWindow, windowMs: settings.windowMs });
}

/** Runs `work` with fresh counters on both sides and returns what it cost. */
export async function measureScenario(emulator: RunningEmulator, client: SegmentApiClient, settings: ApiSettings, work: () => Promise<void>): Promise<ScenarioResult> {
  emulator.resetStats();
  client.resetStats();
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  const s: ApiStats = client.stats;
  const e = emulator.stats();
  return {
    calls: s.calls,
    reads: s.reads,
    writes: s.writes,
    recordWrites: recordWritesOf(s.byEndpoint),
    rateLimited: s.rateLimited,
    retries: s.retries,
    waitedMs: s.waitedMs,
    maxWritesPerEndpoint: Math.max(0, ...Object.entries(s.byEndpoint).filter(([endpoint]) => !endpoint.startsWith('GET ')).map(([, n]) => n)),
    wallMs,
    scaledMs: wallMs * (60_000 / settings.windowMs),
    byEndpoint: s.byEndpoint,
    emulatorRequests: e.requests,
    emulatorRateLimited: e.rateLimited,
  };
}

/** Lets the emulator's write window and the client's pacer start fresh, as between two real deploys. */
export function waitWindow(settings: ApiSettings): Promise<void> {
  return new Promise((r) => setTimeout(r, settings.windowMs + 50));
}

export interface Minimum {
  /** Calls Segment's API cannot do without: the list pages and the writes. */
  readonly calls: number;
  readonly explain: string;
  /** The same plus what our record of managed users needs at the least. */
  readonly withRecord: number;
  readonly withRecordExplain: string;
}

/** List pages the minimum counts: identity `GET /`, `GET /roles`, `GET /users` and `GET /invites` pages. */
function listPages(emulator: RunningEmulator): { n: number; explain: string } {
  const users = emulator.state.listUsers(WS_ID).length;
  const invites = emulator.state.listInvites(WS_ID).length;
  const roles = ROLE_CATALOG.length;
  const n = 1 + pages(roles) + pages(users) + pages(invites);
  return { n, explain: `GET / 1 + roles ${pages(roles)} (${roles}) + users ${pages(users)} (${users}) + invites ${pages(invites)} (${invites})` };
}

/** Reads our record needs: `GET /groups` pages and the member pages of each non-empty record group. */
function recordReads(emulator: RunningEmulator): { n: number; explain: string } {
  const groups = emulator.state.listGroups(WS_ID);
  const invites = emulator.state.listInvites(WS_ID).length;
  let memberPages = 0;
  for (const g of groups) {
    if (!g.name.startsWith('segment-access:') || g.memberEmails.length === 0) continue;
    memberPages += pages(g.memberEmails.length) + (invites ? pages(g.memberEmails.length) : 0);
  }
  const audit = pages(emulator.state.listAuditEvents(WS_ID).length);
  return { n: pages(groups.length) + memberPages + audit, explain: `groups ${pages(groups.length)} + record member pages ${memberPages} + audit-trail pages ${audit}` };
}

/** Every run that writes creates its write-ahead intent first and deletes it last (reconciler/apply.ts). */
const INTENT_WRITES = 2;

function byFingerprint(emails: Iterable<string>, fingerprintOf: (email: string) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of emails) m.set(fingerprintOf(e), (m.get(fingerprintOf(e)) ?? 0) + 1);
  return m;
}

/** Minimum for onboarding, computed from the workspace before the run. */
export function onboardingMinimum(emulator: RunningEmulator, desired: DesiredState): Minimum {
  const list = listPages(emulator);
  const invites = Math.ceil(desired.collaborators.length / PAGE);
  const reads = recordReads(emulator);
  const fp = byFingerprint(desired.collaborators.map((c) => c.fingerprint), (f) => f);
  const adds = [...fp.values()].reduce((s, n) => s + Math.ceil(n / PAGE), 0);
  return {
    calls: list.n + invites,
    explain: `${list.explain} + ${invites} POST /invites`,
    withRecord: list.n + invites + reads.n + fp.size + adds + INTENT_WRITES,
    withRecordExplain: `+ ${reads.explain} + ${fp.size} record groups created + ${adds} member adds (ceil(n/200) per permission set) + ${INTENT_WRITES} write-ahead intent (create, delete)`,
  };
}

/** Minimum for a role change, computed from the workspace before the run. */
export function changeMinimum(emulator: RunningEmulator, inputs: ApiInputs): Minimum {
  const list = listPages(emulator);
  const puts = inputs.changedEmails.length;
  const reads = recordReads(emulator);
  // Accepted users are recorded once per app, not per permission set: a role change moves no record entry.
  const recordWrites = INTENT_WRITES;
  return {
    calls: list.n + puts,
    explain: `${list.explain} + ${puts} PUT /users/{id}/permissions`,
    withRecord: list.n + puts + reads.n + recordWrites,
    withRecordExplain: `+ ${reads.explain} + ${recordWrites} record writes (write-ahead intent)`,
  };
}

export function noChangeMinimum(emulator: RunningEmulator): Minimum {
  const list = listPages(emulator);
  const reads = recordReads(emulator);
  return { calls: list.n, explain: list.explain, withRecord: list.n + reads.n, withRecordExplain: `+ ${reads.explain}` };
}

export interface OursResult {
  readonly onboarding: ScenarioResult;
  readonly change: ScenarioResult;
  readonly noChange: ScenarioResult;
  readonly minimum: { readonly onboarding: Minimum; readonly change: Minimum; readonly noChange: Minimum };
  readonly permissionSets: number;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`API benchmark: ${message}`);
}

/** Our reconciler, in-process, against the emulator: onboarding, a role change, a no-change run. */
export async function measureOurs(settings: ApiSettings, inputs: ApiInputs): Promise<OursResult> {
  const emulator = await startBenchEmulator(settings);
  const now = new Date(BENCH_NOW);
  try {
    progress(`ours: onboarding ${settings.collaborators} collaborators`);
    const minOnboarding = onboardingMinimum(emulator, inputs.before);
    let client = benchClient(emulator, settings);
    const onboarding = await measureScenario(emulator, client, settings, async () => {
      const r = await reconcile({ api: client, desired: inputs.before, now, keys: BENCH_KEYS });
      check(r.counts.invited === settings.collaborators, `onboarding invited ${r.counts.invited}, expected ${settings.collaborators}`);
    });
    check(emulator.state.listInvites(WS_ID).length === settings.collaborators, 'not every collaborator has a pending invite');

    emulator.acceptInvites(WS_ID, emulator.state.listInvites(WS_ID).map((i) => i.email));
    await waitWindow(settings);
    progress(`ours: changing ${settings.changes} roles in a workspace of ${emulator.state.listUsers(WS_ID).length} users`);
    const minChange = changeMinimum(emulator, inputs);
    client = benchClient(emulator, settings);
    const change = await measureScenario(emulator, client, settings, async () => {
      const r = await reconcile({ api: client, desired: inputs.after, now, keys: BENCH_KEYS });
      check(r.counts.repermissioned === settings.changes, `change re-permissioned ${r.counts.repermissioned}, expected ${settings.changes}`);
      check(r.counts.invited + r.counts.reinvited + r.counts.removedUsers === 0, 'change did more than re-permission');
    });

    await waitWindow(settings);
    progress('ours: no-change run');
    const minNoChange = noChangeMinimum(emulator);
    client = benchClient(emulator, settings);
    const noChange = await measureScenario(emulator, client, settings, async () => {
      await reconcile({ api: client, desired: inputs.after, now, keys: BENCH_KEYS });
    });
    return {
      onboarding,
      change,
      noChange,
      minimum: { onboarding: minOnboarding, change: minChange, noChange: minNoChange },
      permissionSets: new Set(inputs.before.collaborators.map((c) => c.fingerprint)).size,
    };
  } finally {
    await emulator.stop();
  }
}
