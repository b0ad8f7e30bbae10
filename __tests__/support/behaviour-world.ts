import { App } from '../../framework';
import { SegmentApiClient } from '../../api/client';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import {
  AcceptedInviteAccess,
  AuditCursor,
  AuditEventNames,
  AuditResourceTypes,
  BatchDeleteUnknown,
  DAY_MS,
  DuplicateGroupNames,
  EmailCase,
  EmulatorProfile,
  EmulatorSettingsInput,
  emulatorSettingsSchema,
  ErrorTypes,
  ExistingInvitee,
  findRoleById,
  PageSizeLimit,
  profileSettings,
  RunningEmulator,
  SsoProvisioning,
  startEmulator,
} from '../../emulator';
import type { DesiredState } from '../../model/desired-state';
import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../../model/enums';
import { reconcile, ReconcileResult } from '../../reconciler/reconcile';
import type { SegmentPort } from '../../reconciler/segment-port';
import { release } from '../../reconciler/release';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import type { CollaboratorAccess, GroupAccess } from '../../stacks/access-definition';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { E2E_TOKEN, E2E_WS, e2eSeed, OWNER } from './e2e';
import { collaboratorAccess, e2eDefinition } from './e2e-definitions';
import { TEST_KEYS } from './live';

export const T0 = new Date('2026-11-27T12:00:00Z');

/**
 * The settings `segment-access doctor` printed for a real workspace ("Emulator settings that match"),
 * given as SEGMENT_ACCESS_EMULATOR_SETTINGS: the matrix then also runs under them.
 */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): [string, EmulatorSettingsInput][] {
  const raw = env.SEGMENT_ACCESS_EMULATOR_SETTINGS;
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`SEGMENT_ACCESS_EMULATOR_SETTINGS is not JSON; paste the object doctor printed after "Emulator settings that match:".`);
  }
  return [[`SEGMENT_ACCESS_EMULATOR_SETTINGS ${raw}`, emulatorSettingsSchema.partial().parse(parsed)]];
}

/** Each alternative of each undocumented behaviour alone (the profiles combine them). */
export const SINGLE_ALTERNATIVES: readonly [string, EmulatorSettingsInput][] = [
  ['emailCase=preserved', { emailCase: EmailCase.PRESERVED }],
  ['duplicateGroupNames=refused-422', { duplicateGroupNames: DuplicateGroupNames.REFUSED_422 }],
  ['duplicateGroupNames=allowed', { duplicateGroupNames: DuplicateGroupNames.ALLOWED }],
  ['existingInvitee=validation-422', { existingInvitee: ExistingInvitee.VALIDATION_422 }],
  ['existingInvitee=skipped-201', { existingInvitee: ExistingInvitee.SKIPPED_201 }],
  ['acceptedInviteAccess=plus-minimal-workspace-access', { acceptedInviteAccess: AcceptedInviteAccess.PLUS_MINIMAL_WORKSPACE_ACCESS }],
  ['ssoProvisioning=just-in-time-and-scim', { ssoProvisioning: SsoProvisioning.JUST_IN_TIME_AND_SCIM }],
  ['batchDeleteUnknown=delete-the-rest', { batchDeleteUnknown: BatchDeleteUnknown.DELETE_THE_REST }],
  ['auditCursor=time', { auditCursor: AuditCursor.TIME }],
  ['auditEventNames=in-app', { auditEventNames: AuditEventNames.IN_APP }],
  ['auditResourceTypes=title', { auditResourceTypes: AuditResourceTypes.TITLE }],
  ['auditRetentionDays=90', { auditRetentionDays: 90 }],
  ['maxPageCount=200', { maxPageCount: PageSizeLimit.DOCS_200 }],
  ['maxGroupNameLength=100', { maxGroupNameLength: 100 }],
  ['customLabelLimit=5', { customLabelLimit: 5 }],
  ['extraResponseFields', { extraResponseFields: true }],
  ['errorTypes=unfamiliar', { errorTypes: ErrorTypes.UNFAMILIAR }],
];

/** People already in the workspace, in the case they typed: none is managed at first. */
export const MIXED_CASE = {
  /** An unmanaged member: never touched. */
  marketing: 'Marketing.Lead@Acme.example',
  /** An unmanaged pending invite: never touched. */
  guest: 'Zoe.Ray@Acme.example',
  /** A member with access the code then declares exactly: adopted, recorded by this exact string. */
  erin: 'Erin.Moss@Agency.example',
  /** An invite someone else sent that the code then declares: cancelled by this exact string and re-issued. */
  dana: 'Dana.Lee@Agency.example',
};

const onWs = [{ type: 'WORKSPACE' as const, id: E2E_WS }];
export const ANALYSTS = 'Analysts';

/** Owner and marketing lead are members, Zoe is invited; Erin is a member and Dana invited (both declared later). */
export function behaviourSeed() {
  return e2eSeed({
    users: [
      { name: 'IT Admin', email: OWNER, permissions: [{ roleName: 'Workspace Owner', resources: onWs }] },
      {
        name: 'Marketing Lead',
        email: MIXED_CASE.marketing,
        permissions: [
          { roleName: 'Minimal Workspace Access', resources: onWs },
          { roleName: 'Source Read-only', resources: [{ type: 'SOURCE', id: 'srcWeb' }] },
        ],
      },
      {
        name: 'Erin Moss',
        email: MIXED_CASE.erin,
        permissions: [
          { roleName: 'Minimal Workspace Access', resources: onWs },
          { roleName: 'Source Read-only', resources: [{ type: 'SOURCE', id: 'srcWeb' }] },
        ],
      },
    ],
    groups: [{ name: ANALYSTS }],
    invites: [
      { email: MIXED_CASE.guest, permissions: [{ roleName: 'Source Read-only', resources: onWs }] },
      { email: MIXED_CASE.dana, permissions: [{ roleName: 'Source Admin', resources: [{ type: 'SOURCE', id: 'srcWeb' }] }] },
    ],
  });
}

/** Erin's grant: exactly the access she has, so the first deploy adopts her. */
export function erinAccess(): CollaboratorAccess {
  return {
    ...collaboratorAccess('Erin', WorkspaceRole.CUSTOM, {
      customPermissions: [
        { role: 'Minimal Workspace Access', workspace: true },
        { role: 'Source Read-only', sources: ['web'] },
      ],
    }),
    email: MIXED_CASE.erin,
    kind: CollaboratorKind.SERVICE_ACCOUNT,
  };
}

export function danaAccess(role = WorkspaceRole.MEMBER): CollaboratorAccess {
  return { ...collaboratorAccess('Dana', role), email: MIXED_CASE.dana };
}

/** The desired state of the prod stack for these collaborators, synthesized on `at`. */
export function desiredOf(collaborators: CollaboratorAccess[], workspace: Partial<SegmentWorkspaceProps> = {}, groupGrants: GroupAccess[] = []): DesiredState {
  const app = new App({ context: { [NOW_CONTEXT_KEY]: T0.toISOString() } });
  return new SegmentAccessStack(app, 'prod', { definition: e2eDefinition(collaborators, workspace, groupGrants), environment: Environment.PROD }).workspace.desiredState();
}

/** The seed's (IdP-provisioned) "Analysts" group, given Source Read-only on web. */
export function analystsGrant(): GroupAccess {
  return {
    id: 'Analysts',
    groupName: ANALYSTS,
    grant: {
      role: WorkspaceRole.READ_ONLY,
      ticket: 'ACCESS-56',
      requestedBy: 'data-lead@acme.example',
      justification: 'Analysts read the web source.',
      sourceAccess: { Web: { level: AccessLevel.READ_ONLY, sources: ['web'] } },
    },
  };
}

/** `role@TYPE:id` of each permission resource, sorted: the access a person has, comparable. */
export function accessOf(permissions: readonly { roleId: string; resources: readonly { type: string; id: string }[] }[]): string[] {
  return permissions.flatMap((p) => p.resources.map((r) => `${findRoleById(p.roleId)?.name ?? p.roleId}@${r.type}:${r.id}`)).sort();
}

export function declaredAccessOf(c: DesiredState['collaborators'][number]): string[] {
  return c.permissions.flatMap((p) => p.resources.map((r) => `${p.roleName}@${r.type}:${r.id}`)).sort();
}

/**
 * One workspace under an emulator profile, and the executor's modules run in-process against it
 * (reconcile and release through the real client, over loopback HTTP).
 */
export class BehaviourWorld {
  /** "now" of the executor; the emulator's clock is moved with it. */
  public now = T0;

  private constructor(
    readonly settings: EmulatorSettingsInput,
    readonly emulator: RunningEmulator,
  ) {}

  /** Under a profile's settings, or any settings. */
  static async start(profile: EmulatorProfile | EmulatorSettingsInput): Promise<BehaviourWorld> {
    const settings = typeof profile === 'string' ? profileSettings(profile) : profile;
    const emulator = await startEmulator({ seed: behaviourSeed(), settings, startsAt: T0, rateLimit: { writesPerWindow: 100_000, readsPerWindow: 100_000, windowMs: 1000 } });
    return new BehaviourWorld(settings, emulator);
  }

  /** Pages of 5: every list, the audit trail included, is read over several pages and cursors. The client's clock is Segment's. */
  client(): SegmentApiClient {
    const clock = this.emulator.state.clock;
    return new SegmentApiClient({ token: E2E_TOKEN, baseUrl: this.emulator.url, writesPerWindow: 100_000, windowMs: 1000, pageSize: 5, now: () => clock.nowMs(), sleep: async () => undefined });
  }

  /**
   * A deploy: returns its result and how many writes reached the emulator. `meanwhile` runs just before
   * the run's first call of `before`, as when someone changes the workspace between its read and its write.
   */
  async deploy(desired: DesiredState, meanwhile?: { before: keyof SegmentPort; change: () => void }): Promise<{ result: ReconcileResult; writes: number }> {
    return this.counting(() => reconcile({ api: meanwhile ? interrupted(this.client(), meanwhile) : this.client(), desired, now: this.now, auditDelayMs: 0, keys: TEST_KEYS }));
  }

  /** `cdktf destroy`'s release of the app's record. */
  async release(): Promise<{ result: ReconcileResult; writes: number }> {
    return this.counting(() => release({ api: this.client(), workspaceId: E2E_WS, recordPrefix: 'segment-access', appId: 'default', tokenEnvVar: 'SEGMENT_E2E_TOKEN', now: this.now, auditDelayMs: 0, keys: TEST_KEYS }));
  }

  /** Time passes for the executor and for Segment alike. */
  advanceDays(days: number): void {
    this.emulator.advanceClock(days * DAY_MS);
    this.now = new Date(this.now.getTime() + days * DAY_MS);
  }

  /** Every member and pending invite, by lower-cased email, with the access each holds. */
  people(): Map<string, { email: string; access: string[]; pending: boolean }> {
    const state = this.emulator.state;
    const out = new Map<string, { email: string; access: string[]; pending: boolean }>();
    for (const u of state.listUsers(E2E_WS)) out.set(u.email.toLowerCase(), { email: u.email, access: accessOf(u.permissions), pending: false });
    for (const i of state.listInvites(E2E_WS)) out.set(i.email.toLowerCase(), { email: i.email, access: accessOf(i.permissions), pending: true });
    return out;
  }

  groups() {
    return this.emulator.state.listGroups(E2E_WS);
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }

  private async counting<T>(run: () => Promise<T>): Promise<{ result: T; writes: number }> {
    const before = this.emulator.stats().writes;
    const result = await run();
    return { result, writes: this.emulator.stats().writes - before };
  }
}

/** The client, with `change` made once, just before its first call of `before`. */
function interrupted(client: SegmentApiClient, meanwhile: { before: keyof SegmentPort; change: () => void }): SegmentPort {
  let pending = true;
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== meanwhile.before || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        if (pending) {
          pending = false;
          meanwhile.change();
        }
        return value.apply(target, args);
      };
    },
  });
}
