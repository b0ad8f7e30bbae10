import type { SegmentApiClient } from '../api/client';
import { SegmentApiError } from '../api/errors';
import type { AuditEventV1 } from '../api/schemas';
import type { EmulatorProfile, EmulatorSettingsInput } from '../emulator';
import { PlanTier } from '../model/enums';
import { RoleCatalog } from '../reconciler/permissions';
import { closestProfile, NOT_OBSERVABLE_READ_ONLY, observe, Observation, observedSettings } from './observations';

/** How a check came out; the worst one decides the exit code (0, 2, 1). */
export enum Verdict {
  OK = 'ok',
  WARN = 'warn',
  FAIL = 'fail',
}

export enum DoctorCheck {
  TOKEN = 'token',
  READ_ACCESS = 'read access',
  PLAN_TIER = 'plan tier',
  AUDIT_TRAIL = 'audit trail',
  BEHAVIOURS = 'behaviours',
}

export interface CheckResult {
  readonly check: DoctorCheck;
  readonly verdict: Verdict;
  readonly summary: string;
  /** What to do, when the verdict is not ok. */
  readonly fix?: string;
}

/** The calls the doctor makes: reads only (nothing here can write). */
export type DoctorPort = Pick<
  SegmentApiClient,
  'getWorkspace' | 'listRoles' | 'listUsers' | 'listInvites' | 'listGroups' | 'listLabels' | 'listSources' | 'listWarehouses' | 'listAuditEvents' | 'acceptsPageSize' | 'auditTrailCursorSample'
>;

export interface DoctorTarget {
  readonly workspaceId: string;
  /** The declared name, when a desired state declares one. */
  readonly name?: string;
  /** The NAME of the variable the token came from (never the token). */
  readonly tokenEnvVar: string;
  /** Undefined with --workspace-id (nothing declared). */
  readonly declaredTier?: PlanTier;
  /** Whether the code checks its record against the audit trail (then the trail must be readable). @default true */
  readonly useAuditTrail?: boolean;
}

export interface WorkspaceDiagnosis {
  readonly workspace: { readonly id: string; readonly name: string | null; readonly tokenEnvVar: string };
  readonly verdict: Verdict;
  readonly checks: readonly CheckResult[];
  readonly observations: readonly Observation[];
  readonly notObservable: typeof NOT_OBSERVABLE_READ_ONLY;
  /** The observed behaviours as emulator settings: `npm test` runs the matrix under them with SEGMENT_ACCESS_EMULATOR_SETTINGS. */
  readonly emulatorSettings: EmulatorSettingsInput;
  readonly closestProfile: EmulatorProfile;
}

const OWNER_TOKEN_FIX = 'Use a Public API token with Workspace Owner access to this workspace (Settings > Access Management > Tokens).';

/** Reads a workspace the way segment-access will, writes nothing, and says what it found. */
export async function diagnoseWorkspace(api: DoctorPort, target: DoctorTarget, now: Date): Promise<WorkspaceDiagnosis> {
  const checks: CheckResult[] = [];
  const result = (observations: Observation[] = [], settings: EmulatorSettingsInput = {}): WorkspaceDiagnosis => ({
    workspace: { id: target.workspaceId, name: target.name ?? null, tokenEnvVar: target.tokenEnvVar },
    verdict: worst(checks.map((c) => c.verdict)),
    checks,
    observations,
    notObservable: NOT_OBSERVABLE_READ_ONLY,
    emulatorSettings: settings,
    closestProfile: closestProfile(settings),
  });

  const token = await checkToken(api, target);
  checks.push(token);
  if (token.verdict === Verdict.FAIL) return result();

  const reads = await readEverything(api);
  const catalog = reads.roles ? new RoleCatalog(reads.roles) : undefined;
  const team = catalog?.planTier === PlanTier.TEAM;
  // User groups and the audit trail are Business-plan features: a Team plan refuses them by design.
  const refused = reads.failures.filter((f) => !(team && f.business));
  const answered = READS.filter((r) => !(team && r.business)).map((r) => r.endpoint);
  checks.push(
    refused.length
      ? { check: DoctorCheck.READ_ACCESS, verdict: Verdict.FAIL, summary: `refused: ${refused.map((f) => `${f.endpoint} (${f.status})`).join(', ')}; writes were not tried`, fix: OWNER_TOKEN_FIX }
      : { check: DoctorCheck.READ_ACCESS, verdict: Verdict.OK, summary: `${answered.length} read endpoints answered (${answered.join(', ')}); writes were not tried` },
  );
  if (catalog) checks.push(checkTier(catalog, target));
  const events = team ? undefined : reads.events;
  checks.push(checkAuditTrail(team, reads, target, now));

  const observations = observe({
    emails: [...(reads.users ?? []).map((u) => u.email), ...(reads.invites ?? [])],
    groupNames: (reads.groups ?? []).map((g) => g.name),
    labels: reads.labels ?? [],
    events,
    cursorSample: reads.cursorSample,
    pagesOf1000: reads.pagesOf1000,
    now,
  });
  const warnings = observations.filter((o) => o.warning);
  checks.push(
    warnings.length
      ? { check: DoctorCheck.BEHAVIOURS, verdict: Verdict.WARN, summary: `${observations.length} observed without writing; ${warnings.length} to look at`, fix: warnings.map((o) => `${o.behaviour}: ${o.warning}`).join('; ') }
      : { check: DoctorCheck.BEHAVIOURS, verdict: Verdict.OK, summary: `${observations.length} observed without writing; the client handles each` },
  );
  return result(observations, observedSettings(observations));
}

export function worst(verdicts: readonly Verdict[]): Verdict {
  return verdicts.includes(Verdict.FAIL) ? Verdict.FAIL : verdicts.includes(Verdict.WARN) ? Verdict.WARN : Verdict.OK;
}

/** 0 = every check ok, 2 = warnings, 1 = a failure. */
export function exitCodeOf(verdict: Verdict): number {
  return verdict === Verdict.OK ? 0 : verdict === Verdict.WARN ? 2 : 1;
}

async function checkToken(api: DoctorPort, target: DoctorTarget): Promise<CheckResult> {
  try {
    const ws = await api.getWorkspace();
    if (ws.id !== target.workspaceId) {
      return {
        check: DoctorCheck.TOKEN,
        verdict: Verdict.FAIL,
        summary: `belongs to workspace ${ws.id} ("${ws.name}", slug ${ws.slug}), not to ${target.workspaceId}`,
        fix: `Set ${target.tokenEnvVar} to a token of workspace ${target.workspaceId}, or fix workspaceId in the definition.`,
      };
    }
    return { check: DoctorCheck.TOKEN, verdict: Verdict.OK, summary: `belongs to workspace ${ws.id} ("${ws.name}", slug ${ws.slug}), as declared` };
  } catch (error) {
    const status = error instanceof SegmentApiError ? error.status : undefined;
    return {
      check: DoctorCheck.TOKEN,
      verdict: Verdict.FAIL,
      summary: status ? `GET / answered ${status}` : `GET / failed: ${(error as Error).message}`,
      fix: status === 401 || status === 403 ? `Set ${target.tokenEnvVar} to a valid Public API token of workspace ${target.workspaceId}.` : 'Check the network path to Segment (and PUBLIC_API_URL, if set), then run doctor again.',
    };
  }
}

interface ReadSpec {
  readonly endpoint: string;
  /** A Business-plan feature (refused on Team plans). */
  readonly business: boolean;
}

const READS: readonly ReadSpec[] = [
  { endpoint: 'GET /roles', business: false },
  { endpoint: 'GET /users', business: false },
  { endpoint: 'GET /invites', business: false },
  { endpoint: 'GET /groups', business: true },
  { endpoint: 'GET /labels', business: false },
  { endpoint: 'GET /sources', business: false },
  { endpoint: 'GET /warehouses', business: false },
  { endpoint: 'GET /audit-events', business: true },
];

interface Reads {
  roles?: Awaited<ReturnType<DoctorPort['listRoles']>>;
  users?: Awaited<ReturnType<DoctorPort['listUsers']>>;
  invites?: string[];
  groups?: Awaited<ReturnType<DoctorPort['listGroups']>>;
  labels?: { key: string }[];
  events?: AuditEventV1[];
  cursorSample?: string;
  pagesOf1000: boolean;
  failures: { endpoint: string; status: number | string; business: boolean }[];
}

/** Every list segment-access reads, one after another (a doctor is not in a hurry). */
async function readEverything(api: DoctorPort): Promise<Reads> {
  const reads: Reads = { pagesOf1000: false, failures: [] };
  const read = async <T>(endpoint: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof SegmentApiError)) throw error;
      reads.failures.push({ endpoint, status: error.status || error.errors[0]?.type || 'no response', business: READS.find((r) => r.endpoint === endpoint)!.business });
      return undefined;
    }
  };
  reads.roles = await read('GET /roles', () => api.listRoles());
  reads.users = await read('GET /users', () => api.listUsers());
  reads.invites = await read('GET /invites', () => api.listInvites());
  reads.groups = await read('GET /groups', () => api.listGroups());
  reads.labels = await read('GET /labels', () => api.listLabels());
  await read('GET /sources', () => api.listSources());
  await read('GET /warehouses', () => api.listWarehouses());
  reads.events = await read('GET /audit-events', () => api.listAuditEvents());
  if (reads.events) reads.cursorSample = await read('GET /audit-events', () => api.auditTrailCursorSample());
  reads.pagesOf1000 = (await read('GET /roles', () => api.acceptsPageSize(1000))) ?? false;
  return reads;
}

function checkTier(catalog: RoleCatalog, target: DoctorTarget): CheckResult {
  const live = catalog.planTier;
  const shown = `${live}: GET /roles lists ${catalog.names.length} role(s)`;
  if (target.declaredTier === undefined) return { check: DoctorCheck.PLAN_TIER, verdict: Verdict.OK, summary: shown };
  if (target.declaredTier === live) return { check: DoctorCheck.PLAN_TIER, verdict: Verdict.OK, summary: `${shown}, as declared` };
  return {
    check: DoctorCheck.PLAN_TIER,
    verdict: Verdict.FAIL,
    summary: `${shown}, but the code declares ${target.declaredTier}`,
    fix: live === PlanTier.TEAM ? 'Declare planTier: PlanTier.TEAM on the workspace (Team plans have no user groups).' : 'Declare planTier: PlanTier.BUSINESS on the workspace (or leave it out).',
  };
}

function checkAuditTrail(team: boolean, reads: Reads, target: DoctorTarget, now: Date): CheckResult {
  if (team) return { check: DoctorCheck.AUDIT_TRAIL, verdict: Verdict.OK, summary: 'none on a Team plan (nor a record of managed users: the workspace is authoritative)' };
  const refused = reads.failures.find((f) => f.endpoint === 'GET /audit-events');
  if (refused || !reads.events) {
    const needed = target.useAuditTrail ?? true;
    return {
      check: DoctorCheck.AUDIT_TRAIL,
      verdict: needed ? Verdict.FAIL : Verdict.WARN,
      summary: `not readable (GET /audit-events answered ${refused?.status ?? 'nothing'})`,
      fix: needed
        ? 'segment-access checks its record against the audit trail before removing anyone: give the token read access to the Audit Trail (Business plan), or set useAuditTrail: false (weaker).'
        : 'The code does not use the trail (useAuditTrail: false); audit reports will lack its evidence.',
    };
  }
  const oldest = reads.events.reduce((min, e) => Math.min(min, Date.parse(e.timestamp)), Infinity);
  const reach = oldest === Infinity ? 'no events yet' : `the oldest ${Math.floor((now.getTime() - oldest) / 86_400_000)} days old`;
  return { check: DoctorCheck.AUDIT_TRAIL, verdict: Verdict.OK, summary: `readable: ${reads.events.length} events, ${reach} (Segment keeps 90 days)` };
}
