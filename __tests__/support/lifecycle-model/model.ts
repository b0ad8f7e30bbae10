import { DAY_MS } from '../../../emulator';
import { WorkspaceRole } from '../../../model/enums';
import { E2E_WS } from '../e2e';

// The model of the model-based lifecycle test (docs/model-based-testing.md): what the requests say and
// what the workspace must therefore contain, written from the presets table of
// docs/roles-and-permissions.md, never from the product's code. Access is `Role@TYPE:id[labels]`.

/** The two apps sharing the workspace: each manages only its own people. */
export enum AppName {
  FIRST = 'default',
  SECOND = 'second-app',
}

/** How a MEMBER's or READ_ONLY's sources are narrowed. */
export enum Narrowing {
  NONE = 'workspace-wide',
  SOURCE = 'source web',
  LABEL = 'label environment=prod',
}

/** A per-environment override a request may carry (prod is the stack under test; staging must not leak into it). */
export enum Override {
  NONE = 'none',
  PROD_ABSENT = 'absent in prod',
  PROD_READ_ONLY = 'read-only in prod',
  STAGING_ABSENT = 'absent in staging',
}

export type PresetRole = WorkspaceRole.OWNER | WorkspaceRole.ADMIN | WorkspaceRole.MEMBER | WorkspaceRole.READ_ONLY;

/** One person's request, as `access.yaml` would hold it. */
export interface Request {
  readonly role: PresetRole;
  readonly narrowing: Narrowing;
  /** YYYY-MM-DD, the UTC day access ends. */
  readonly expiresOn?: string;
  readonly override: Override;
}

/** Who each app may declare, and the people no app declares (someone else invites them). Mixed case on purpose. */
export const POOLS: Readonly<Record<AppName, readonly string[]>> = {
  [AppName.FIRST]: ['ana@agency.example', 'Ben.Okafor@Agency.example', 'cy@agency.example', 'dee@agency.example'],
  [AppName.SECOND]: ['eve@partner.example', 'Finn.Roe@Partner.example', 'gil@partner.example'],
};
export const OUTSIDERS: readonly string[] = ['Olu.Ade@Acme.example', 'pat@acme.example', 'quinn@acme.example'];

export const ws = (role: string, labels = '') => `${role}@WORKSPACE:${E2E_WS}${labels}`;
const WEB = 'SOURCE:srcWeb';
const PROD_LABEL = '[environment=prod]';

/** What a request grants in prod, or undefined when it grants nothing there. */
export function expectedAccess(request: Request, nowMs: number): string[] | undefined {
  if (request.expiresOn !== undefined && Date.parse(`${request.expiresOn}T00:00:00Z`) <= nowMs) return undefined;
  if (request.override === Override.PROD_ABSENT) return undefined;
  if (request.override === Override.PROD_READ_ONLY) return presetAccess(WorkspaceRole.READ_ONLY, Narrowing.NONE);
  return presetAccess(request.role, request.narrowing);
}

function presetAccess(role: PresetRole, narrowing: Narrowing): string[] {
  const base = [ws('Minimal Workspace Access'), ws('Tracking Plan Read-only')];
  switch (role) {
    case WorkspaceRole.OWNER:
      return [ws('Workspace Owner')];
    case WorkspaceRole.ADMIN:
      return ['Minimal Workspace Access', 'Source Admin', 'Tracking Plan Admin', 'Function Admin', 'Warehouse Destination Admin', 'Unify and Engage Admin'].map((r) => ws(r)).sort();
    case WorkspaceRole.MEMBER:
      if (narrowing === Narrowing.NONE) return base.sort();
      return [...base, narrowing === Narrowing.SOURCE ? `Source Admin@${WEB}` : ws('Source Admin', PROD_LABEL)].sort();
    case WorkspaceRole.READ_ONLY:
      if (narrowing === Narrowing.NONE) {
        return [...base, ...['Source Read-only', 'Function Read-only', 'Warehouse Destination Read-only', 'Unify and Engage Read-only'].map((r) => ws(r))].sort();
      }
      return [...base, narrowing === Narrowing.SOURCE ? `Source Read-only@${WEB}` : ws('Source Read-only', PROD_LABEL)].sort();
  }
}

/** A person as the workspace holds them (or must). */
export interface Person {
  readonly email: string;
  readonly access: readonly string[];
  readonly pending: boolean;
}

export interface AppModel {
  readonly requests: Map<string, Request>;
  /** Lower-cased emails this app declared when a deploy of it started: the only people it may ever touch. */
  readonly deployed: Set<string>;
  /** Every access a deploy of this app set out to give each person (a killed run may leave any of them). */
  readonly granted: Map<string, Set<string>>;
  /**
   * People the app reported it can no longer prove it invited (a refusal 'unconfirmed', 'orphaned' or
   * 'expired-unproven': e.g. an invite record older than the audit trail) and so released: no longer owed removal.
   */
  readonly released: Set<string>;
}

export interface LifecycleModel {
  nowMs: number;
  readonly seatLimit: number | null;
  readonly apps: Record<AppName, AppModel>;
  /** People no app manages, by lower-cased email, as they must stay (changed only by someone else). */
  readonly unmanaged: Map<string, Person>;
  /** Access someone else gave a managed person (by lower-cased email): allowed until the next deploy takes it back. */
  readonly outsideGrants: Map<string, Set<string>>;
  /** Settings switched so far, for the failure report. */
  readonly settingsLog: string[];
}

export function newModel(nowMs: number, seatLimit: number | null, unmanaged: Map<string, Person>): LifecycleModel {
  const app = (): AppModel => ({ requests: new Map(), deployed: new Set(), granted: new Map(), released: new Set() });
  return { nowMs, seatLimit, apps: { [AppName.FIRST]: app(), [AppName.SECOND]: app() }, unmanaged, outsideGrants: new Map(), settingsLog: [] };
}

/** The people the app must grant now: lower-cased email -> access. */
export function declaredNow(model: LifecycleModel, app: AppName): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [email, request] of model.apps[app].requests) {
    const access = expectedAccess(request, model.nowMs);
    if (access) out.set(email.toLowerCase(), access);
  }
  return out;
}

/** The pool an email belongs to, if any. */
export function appOf(email: string): AppName | undefined {
  const lower = email.toLowerCase();
  return (Object.keys(POOLS) as AppName[]).find((app) => POOLS[app].some((e) => e.toLowerCase() === lower));
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const daysAfter = (ms: number, days: number) => dayOf(ms + days * DAY_MS);
