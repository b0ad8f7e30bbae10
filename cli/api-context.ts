import { resolveBaseUrl } from '../api/base-url';
import { SegmentApiClient } from '../api/client';
import type { ApiEvent } from '../api/events';
import { Region } from '../model/enums';
import type { DesiredState, DesiredWorkspace } from '../model/desired-state';
import { terminalText } from '../model/output-encoding';
import { displayableVariableName, isTokenVariableName, looksLikeSecret, TOKEN_VARIABLE_CONVENTION } from '../model/token-variable-names';
import { RecordKeyring } from '../reconciler/record-key';
import { recordKeyVariable } from '../reconciler/reconcile';

export interface ClientTarget {
  readonly tokenEnvVar: string;
  /** Decides Segment's API host; only the operator's PUBLIC_API_URL overrides it. @default Region.US */
  readonly region?: Region;
  readonly workspaceLabel: string;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} is "${raw}"; use a whole number (milliseconds or writes).`);
  return n;
}

/**
 * A client for one workspace: the token from its variable (named by the convention, checked again
 * here: the name comes from a file), sent only to the region's Segment host or the operator's
 * PUBLIC_API_URL.
 */
export function clientFor(target: ClientTarget, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): SegmentApiClient {
  // If the name looks like a token (pasted where its name belongs), never print it.
  if (looksLikeSecret(target.tokenEnvVar)) {
    throw new Error(
      `The token variable of ${target.workspaceLabel} is ${displayableVariableName(target.tokenEnvVar)}: tokenEnvVar must be the NAME of the variable ` +
        '(e.g. SEGMENT_PROD_TOKEN), never the token. Fix tokenEnvVar in the definition, synthesize again, and rotate the token if it was committed. Nothing was changed.',
    );
  }
  if (!isTokenVariableName(target.tokenEnvVar)) {
    throw new Error(
      `The token variable of ${target.workspaceLabel} is ${terminalText(target.tokenEnvVar)}, which is not a Segment token variable: allowed ${TOKEN_VARIABLE_CONVENTION}. ` +
        'Its value was not read or sent anywhere. Fix tokenEnvVar in the workspace configuration. Nothing was changed.',
    );
  }
  const token = env[target.tokenEnvVar];
  if (!token) {
    throw new Error(`${terminalText(target.tokenEnvVar)} is not set. Set it to a Public API token of ${target.workspaceLabel} (Settings > Access Management > Tokens). Nothing was changed.`);
  }
  const baseUrl = resolveBaseUrl({ region: target.region ?? Region.US, env });
  return new SegmentApiClient({
    token,
    baseUrl,
    tokenName: target.tokenEnvVar,
    writesPerWindow: positiveInt(env, 'SEGMENT_ACCESS_WRITES_PER_WINDOW'),
    windowMs: positiveInt(env, 'SEGMENT_ACCESS_WINDOW_MS'),
    onEvent: (e: ApiEvent) => {
      if (e.type === 'retry') log(`  retrying ${e.method} ${e.path} in ${(e.delayMs / 1000).toFixed(1)}s (${e.reason}, attempt ${e.attempt} of ${e.maxAttempts})`);
      if (e.type === 'rate-wait' && e.delayMs >= 1000) log(`  pacing ${e.method} ${e.path}: waiting ${(e.delayMs / 1000).toFixed(1)}s for Segment's rate limit`);
    },
  });
}

/** A client for the workspace a desired-state file declares. */
export function clientForWorkspace(ws: DesiredWorkspace, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): SegmentApiClient {
  return clientFor({ tokenEnvVar: ws.tokenEnvVar, region: ws.region, workspaceLabel: `workspace ${ws.name} (${ws.id})` }, log, env);
}

/** "now" for expiry decisions; SEGMENT_ACCESS_NOW pins it (tests, re-runs). */
export function runNow(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env.SEGMENT_ACCESS_NOW;
  if (!pinned) return new Date();
  const at = new Date(pinned);
  if (Number.isNaN(at.getTime())) throw new Error(`SEGMENT_ACCESS_NOW is "${pinned}", not a date. Use e.g. 2026-11-27T12:00:00Z.`);
  return at;
}

/**
 * Audit-trail settings from the environment: SEGMENT_ACCESS_AUDIT_DELAY_MS (how long Segment may take
 * to show an event; default 5 minutes, an assumption Segment does not document) and
 * SEGMENT_ACCESS_AUDIT_ACTORS (comma-separated actors of this app's tokens, when they should not be learned).
 */
export function auditSettings(env: NodeJS.ProcessEnv = process.env): { auditDelayMs?: number; auditActors?: string[] } {
  const actors = env.SEGMENT_ACCESS_AUDIT_ACTORS?.split(',').map((a) => a.trim()).filter(Boolean);
  return { auditDelayMs: positiveInt(env, 'SEGMENT_ACCESS_AUDIT_DELAY_MS'), auditActors: actors?.length ? actors : undefined };
}

/**
 * The record keys of a desired state: from the variable it names (`recordKeyEnvVar`, default
 * SEGMENT_ACCESS_RECORD_KEY) and `<variable>_PREVIOUS`. Undefined when unset; a value that is not a key
 * is refused without being shown. Only the variable's NAME is ever in a file.
 */
export function recordKeysFor(desired: Pick<DesiredState, 'management'>, env: NodeJS.ProcessEnv = process.env): RecordKeyring | undefined {
  return RecordKeyring.fromEnv(recordKeyVariable(desired), env);
}
