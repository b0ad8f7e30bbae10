import { appendAuditEvent, AuditActor, auditEmitter, AuditStyle, AuditQuery, EmitAuditEvent, queryAuditEvents } from './audit-trail';
import { SsoProvisioning } from './behaviours';
import { EmulatorClock } from './clock';
import { normalizeEmail, samePerson } from './emails';
import { ApiError, notFoundError } from './errors';
import { AuditEventRecord, GroupRecord, InviteRecord, Label, LabelRecord, PlanTier, StoredPermission, UserRecord, WorkspaceRecord } from './model';
import { assertOwnerRemains } from './owners';
import { PermissionInput } from './permissions';
import { Seed } from './seed';
import { DAY_MS, EmulatorSettings, EmulatorSettingsInput, emulatorSettingsSchema, inviteTtlMs } from './settings';
import { parseStateSnapshot, readStateFile, StateSnapshot, writeStateFile } from './snapshot';
import { actorsOfSeedTokens, workspaceFromSeed } from './workspace-from-seed';
import * as groups from './workspace-groups';
import * as invites from './workspace-invites';
import * as labels from './workspace-labels';
import { WorkspaceRules, workspaceRules } from './workspace-rules';
import * as sso from './workspace-sso';
import * as users from './workspace-users';

export interface WorkspaceSummary {
  id: string;
  slug: string;
  name: string;
}

export interface GroupMembers {
  users: UserRecord[];
  invites: InviteRecord[];
}

interface TokenBinding {
  workspaceId: string;
  actor: AuditActor;
}

/**
 * The emulator's in-memory store. Every write runs on a copy of the workspace and is committed
 * only if it succeeds (and, by default, the workspace keeps an owner), so a rejected call never
 * half-applies and records no audit event. Results are copies: callers cannot change the store by
 * accident. Writes made with an actor (API calls, accepted invites) are recorded in the audit trail.
 */
export class EmulatorState {
  private readonly workspaces = new Map<string, WorkspaceRecord>();
  private readonly tokens = new Map<string, TokenBinding>();
  private revisionCounter = 0;
  private current: EmulatorSettings;
  private derived: { readonly rules: WorkspaceRules; readonly auditStyle: AuditStyle };

  private constructor(
    readonly clock: EmulatorClock,
    settings: EmulatorSettings,
  ) {
    this.current = settings;
    this.derived = derivedFrom(settings);
  }

  /** The settings in force (docs/emulator-and-assumptions.md). */
  get settings(): EmulatorSettings {
    return this.current;
  }

  /** The undocumented behaviours writes follow (from `settings`). */
  get rules(): WorkspaceRules {
    return this.derived.rules;
  }

  private get auditStyle(): AuditStyle {
    return this.derived.auditStyle;
  }

  /**
   * Changes settings while the emulator runs, as Segment may change a behaviour it does not document
   * without notice. Data already stored stays as it was written (emails keep the case they were stored
   * in; audit events keep their names); what follows obeys the new settings.
   */
  changeSettings(changes: EmulatorSettingsInput): EmulatorSettings {
    this.current = emulatorSettingsSchema.parse({ ...this.current, ...changes });
    this.derived = derivedFrom(this.current);
    this.revisionCounter += 1;
    return this.current;
  }

  static fromSeed(seed: Seed, clock: EmulatorClock = new EmulatorClock(), settings?: EmulatorSettingsInput): EmulatorState {
    const state = new EmulatorState(clock, emulatorSettingsSchema.parse({ ...seed.settings, ...settings }));
    for (const workspace of seed.workspaces) {
      state.workspaces.set(workspace.id, workspaceFromSeed(workspace, clock.nowIso(), state.rules.emails));
      for (const [token, actor] of actorsOfSeedTokens(workspace)) state.tokens.set(token, { workspaceId: workspace.id, actor });
    }
    return state;
  }

  /** Increases on every committed change; the server saves the state file when it moves. */
  get revision(): number {
    return this.revisionCounter;
  }

  workspaceIdForToken(token: string): string | undefined {
    return this.tokens.get(token)?.workspaceId;
  }

  /** The audit-trail actor of calls made with this token. */
  actorForToken(token: string): AuditActor | undefined {
    const actor = this.tokens.get(token)?.actor;
    return actor && { ...actor };
  }

  workspaceIds(): string[] {
    return [...this.workspaces.keys()];
  }

  workspace(workspaceId: string): WorkspaceSummary {
    return this.read(workspaceId, ({ id, slug, name }) => ({ id, slug, name }));
  }

  planTier(workspaceId: string): PlanTier {
    return this.read(workspaceId, (workspace) => workspace.planTier);
  }

  listUsers(workspaceId: string): UserRecord[] {
    return this.read(workspaceId, (workspace) => workspace.users);
  }

  getUser(workspaceId: string, userId: string): UserRecord {
    return this.read(workspaceId, (workspace) => users.findUser(workspace, userId));
  }

  /** The source catalog (`GET /sources`). */
  listSources(workspaceId: string) {
    return this.read(workspaceId, (workspace) => workspace.sources);
  }

  /** The warehouse catalog (`GET /warehouses`). */
  listWarehouses(workspaceId: string) {
    return this.read(workspaceId, (workspace) => workspace.warehouses);
  }

  listInvites(workspaceId: string): InviteRecord[] {
    return this.read(workspaceId, (workspace) => workspace.invites);
  }

  isInviteExpired(invite: InviteRecord): boolean {
    return invites.isInviteExpired(invite, this.clock.nowMs(), inviteTtlMs(this.settings));
  }

  seatsUsed(workspaceId: string): number {
    return this.read(workspaceId, invites.seatsUsed);
  }

  listLabels(workspaceId: string): LabelRecord[] {
    return this.read(workspaceId, (workspace) => workspace.labels);
  }

  listGroups(workspaceId: string): GroupRecord[] {
    return this.read(workspaceId, (workspace) => workspace.groups);
  }

  getGroup(workspaceId: string, groupId: string): GroupRecord {
    return this.read(workspaceId, (workspace) => groups.findGroup(workspace, groupId));
  }

  groupMembers(workspaceId: string, groupId: string): GroupMembers {
    return this.read(workspaceId, (workspace) => groups.groupMembers(workspace, groups.findGroup(workspace, groupId)));
  }

  groupsOfUser(workspaceId: string, userId: string): GroupRecord[] {
    return this.read(workspaceId, (workspace) => groups.groupsOfMember(workspace, users.findUser(workspace, userId).email));
  }

  /** Audit events, newest first, filtered as `GET /audit-events` filters them. */
  listAuditEvents(workspaceId: string, query: AuditQuery = {}): AuditEventRecord[] {
    const retentionMs = this.settings.auditRetentionDays === null ? null : this.settings.auditRetentionDays * DAY_MS;
    return this.read(workspaceId, (workspace) => queryAuditEvents(workspace.auditEvents, query, this.clock.nowMs(), retentionMs));
  }

  deleteUsers(workspaceId: string, userIds: string[], actor?: AuditActor): void {
    this.write(workspaceId, actor, (workspace, emit) => users.deleteUsers(workspace, userIds, this.rules, emit));
  }

  replaceUserPermissions(workspaceId: string, userId: string, permissions: PermissionInput[], actor?: AuditActor): StoredPermission[] {
    return this.write(workspaceId, actor, (workspace, emit) => users.replaceUserPermissions(workspace, userId, permissions, emit));
  }

  addUserPermissions(workspaceId: string, userId: string, permissions: PermissionInput[], actor?: AuditActor): StoredPermission[] {
    return this.write(workspaceId, actor, (workspace, emit) => users.addUserPermissions(workspace, userId, permissions, emit));
  }

  createInvites(workspaceId: string, newInvites: invites.InviteInput[], actor?: AuditActor): string[] {
    const policy: invites.InvitePolicy = {
      ttlMs: inviteTtlMs(this.settings),
      enforceSeatLimits: this.settings.enforceSeatLimits,
      rules: this.rules,
      isSegmentUser: (email) => [...this.workspaces.values()].some((ws) => ws.users.some((user) => samePerson(user.email, email))),
    };
    return this.write(workspaceId, actor, (workspace, emit) => invites.createInvites(workspace, newInvites, this.clock.nowMs(), policy, emit));
  }

  deleteInvites(workspaceId: string, emails: string[], actor?: AuditActor): void {
    this.write(workspaceId, actor, (workspace, emit) => invites.deleteInvites(workspace, emails, this.rules, emit));
  }

  /** As if the person clicked the link in the invite email; the audit trail shows them as the actor. */
  acceptInvite(workspaceId: string, email: string): UserRecord {
    return this.acceptInvites(workspaceId, [email])[0];
  }

  /** Accepts several invites at once; all or nothing. */
  acceptInvites(workspaceId: string, emails: string[]): UserRecord[] {
    return this.write(workspaceId, undefined, (workspace) =>
      emails.map((email) => {
        const emit = auditEmitter(workspace, personActor(email), this.clock.nowIso(), this.auditStyle);
        return invites.acceptInvite(workspace, email, this.clock.nowMs(), inviteTtlMs(this.settings), this.rules, emit);
      }),
    );
  }

  /** Someone signs in through the workspace's identity provider without an invite (`ssoProvisioning`). */
  joinViaSso(workspaceId: string, email: string): UserRecord {
    this.requireSso('join through single sign-on');
    return this.write(workspaceId, undefined, (workspace) =>
      sso.joinViaSso(workspace, email, this.rules, auditEmitter(workspace, personActor(email), this.clock.nowIso(), this.auditStyle)),
    );
  }

  /** The identity provider removes a member through SCIM (`ssoProvisioning`). */
  removeViaScim(workspaceId: string, email: string): void {
    this.requireSso('remove members through SCIM');
    this.write(workspaceId, SCIM_ACTOR, (workspace, emit) => sso.removeViaScim(workspace, email, emit));
  }

  createLabel(workspaceId: string, label: LabelRecord, actor?: AuditActor): LabelRecord {
    return this.write(workspaceId, actor, (workspace, emit) => labels.createLabel(workspace, label, this.rules, emit));
  }

  deleteLabel(workspaceId: string, label: Label, actor?: AuditActor): void {
    this.write(workspaceId, actor, (workspace, emit) => labels.deleteLabel(workspace, label, emit));
  }

  createGroup(workspaceId: string, name: string, actor?: AuditActor): GroupRecord {
    return this.write(workspaceId, actor, (workspace, emit) => groups.createGroup(workspace, name, this.rules, emit));
  }

  renameGroup(workspaceId: string, groupId: string, name: string, actor?: AuditActor): GroupRecord {
    return this.write(workspaceId, actor, (workspace, emit) => groups.renameGroup(workspace, groupId, name, this.rules, emit));
  }

  deleteGroup(workspaceId: string, groupId: string, actor?: AuditActor): void {
    this.write(workspaceId, actor, (workspace, emit) => groups.deleteGroup(workspace, groupId, emit));
  }

  replaceGroupPermissions(workspaceId: string, groupId: string, permissions: PermissionInput[], actor?: AuditActor): StoredPermission[] {
    return this.write(workspaceId, actor, (workspace, emit) => groups.replaceGroupPermissions(workspace, groupId, permissions, emit));
  }

  addGroupPermissions(workspaceId: string, groupId: string, permissions: PermissionInput[], actor?: AuditActor): StoredPermission[] {
    return this.write(workspaceId, actor, (workspace, emit) => groups.addGroupPermissions(workspace, groupId, permissions, emit));
  }

  addGroupMembers(workspaceId: string, groupId: string, emails: string[], actor?: AuditActor): GroupRecord {
    return this.write(workspaceId, actor, (workspace, emit) => groups.addGroupMembers(workspace, groupId, emails, this.rules, emit));
  }

  replaceGroupMembers(workspaceId: string, groupId: string, emails: string[], actor?: AuditActor): GroupRecord {
    return this.write(workspaceId, actor, (workspace, emit) => groups.replaceGroupMembers(workspace, groupId, emails, this.rules, emit));
  }

  removeGroupMembers(workspaceId: string, groupId: string, emails: string[], actor?: AuditActor): void {
    this.write(workspaceId, actor, (workspace, emit) => groups.removeGroupMembers(workspace, groupId, emails, this.rules, emit));
  }

  /** Adds an event as if someone had changed the workspace outside the API (the Segment app, another tool). */
  recordAuditEvent(workspaceId: string, event: Omit<AuditEventRecord, 'id' | 'timestamp'> & { timestamp?: string }): AuditEventRecord {
    return this.write(workspaceId, undefined, (workspace) =>
      appendAuditEvent(workspace, { ...event, timestamp: event.timestamp ?? this.clock.nowIso() }),
    );
  }

  advanceClock(ms: number): void {
    this.clock.advance(ms);
    this.revisionCounter += 1;
  }

  /** A JSON-ready snapshot of every workspace. Tokens are kept apart and never appear here. */
  dump(): StateSnapshot {
    return structuredClone({
      format: 'segment-api-emulator-state' as const,
      version: 2 as const,
      savedAt: this.clock.nowIso(),
      clockOffsetMs: this.clock.offsetMs,
      workspaces: [...this.workspaces.values()],
    });
  }

  /** Replaces workspace data with a snapshot; tokens still come from the seed, so every workspace must be in it. */
  restore(snapshotInput: unknown, origin = 'snapshot'): void {
    const snapshot = parseStateSnapshot(snapshotInput, origin);
    const unknown = snapshot.workspaces.filter((workspace) => !this.workspaces.has(workspace.id)).map((w) => w.id);
    if (unknown.length > 0) {
      throw new Error(`${origin} has workspaces that are not in the seed (no token can reach them): ${unknown.join(', ')}`);
    }
    for (const workspace of snapshot.workspaces) this.workspaces.set(workspace.id, structuredClone(workspace));
    this.clock.setOffset(snapshot.clockOffsetMs);
    this.revisionCounter += 1;
  }

  /** Loads `path` if it exists; returns whether it did. */
  loadFromFile(path: string): boolean {
    const snapshot = readStateFile(path);
    if (!snapshot) return false;
    this.restore(snapshot, `state file ${path}`);
    return true;
  }

  saveToFile(path: string): void {
    writeStateFile(path, this.dump());
  }

  private requireSso(what: string): void {
    if (this.settings.ssoProvisioning === SsoProvisioning.OFF) {
      throw new ApiError(409, 'conflict', `Nobody can ${what}: the emulator's ssoProvisioning setting is "${SsoProvisioning.OFF}".`);
    }
  }

  private requireWorkspace(workspaceId: string): WorkspaceRecord {
    const workspace = this.workspaces.get(workspaceId);
    if (!workspace) throw notFoundError(`No workspace with id "${workspaceId}".`, 'workspaceId');
    return workspace;
  }

  private read<T>(workspaceId: string, query: (workspace: WorkspaceRecord) => T): T {
    return structuredClone(query(this.requireWorkspace(workspaceId)));
  }

  private write<T>(workspaceId: string, actor: AuditActor | undefined, change: (draft: WorkspaceRecord, emit: EmitAuditEvent) => T): T {
    const current = this.requireWorkspace(workspaceId);
    const draft = structuredClone(current);
    const result = change(draft, auditEmitter(draft, actor, this.clock.nowIso(), this.auditStyle));
    if (this.settings.protectLastOwner) assertOwnerRemains(current, draft);
    this.workspaces.set(workspaceId, draft);
    this.revisionCounter += 1;
    return structuredClone(result);
  }
}

function derivedFrom(settings: EmulatorSettings): { rules: WorkspaceRules; auditStyle: AuditStyle } {
  return { rules: workspaceRules(settings), auditStyle: { names: settings.auditEventNames, resourceTypes: settings.auditResourceTypes } };
}

/** A person acting for themselves (accepting an invite, signing in): the trail names their email. */
function personActor(email: string): AuditActor {
  return { actor: normalizeEmail(email), actorEmail: normalizeEmail(email) };
}

/** The identity provider's SCIM connection, as the audit trail names it (an emulator assumption). */
const SCIM_ACTOR: AuditActor = { actor: 'scim' };
