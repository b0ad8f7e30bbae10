import { EmulatorClock } from './clock';
import { notFoundError } from './errors';
import { GroupRecord, InviteRecord, StoredPermission, UserRecord, WorkspaceRecord } from './model';
import { assertOwnerRemains } from './owners';
import { PermissionInput } from './permissions';
import { Seed } from './seed';
import { parseStateSnapshot, readStateFile, StateSnapshot, writeStateFile } from './snapshot';
import { workspaceFromSeed } from './workspace-from-seed';
import * as groups from './workspace-groups';
import * as invites from './workspace-invites';
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

/**
 * The emulator's in-memory store. Every write runs on a copy of the workspace and is
 * committed only if it succeeds and the workspace keeps an owner, so a rejected call
 * never half-applies. Results are copies: callers cannot change the store by accident.
 */
export class EmulatorState {
  private readonly workspaces = new Map<string, WorkspaceRecord>();
  private readonly workspaceByToken = new Map<string, string>();
  private revisionCounter = 0;

  private constructor(readonly clock: EmulatorClock) {}

  static fromSeed(seed: Seed, clock: EmulatorClock = new EmulatorClock()): EmulatorState {
    const state = new EmulatorState(clock);
    for (const workspace of seed.workspaces) {
      state.workspaces.set(workspace.id, workspaceFromSeed(workspace, clock.nowIso()));
      for (const token of workspace.tokens) state.workspaceByToken.set(token, workspace.id);
    }
    return state;
  }

  /** Increases on every committed change; the server saves the state file when it moves. */
  get revision(): number {
    return this.revisionCounter;
  }

  workspaceIdForToken(token: string): string | undefined {
    return this.workspaceByToken.get(token);
  }

  workspaceIds(): string[] {
    return [...this.workspaces.keys()];
  }

  workspace(workspaceId: string): WorkspaceSummary {
    return this.read(workspaceId, ({ id, slug, name }) => ({ id, slug, name }));
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
    return invites.isInviteExpired(invite, this.clock.nowMs());
  }

  seatsUsed(workspaceId: string): number {
    return this.read(workspaceId, invites.seatsUsed);
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

  deleteUsers(workspaceId: string, userIds: string[]): void {
    this.write(workspaceId, (workspace) => users.deleteUsers(workspace, userIds));
  }

  replaceUserPermissions(workspaceId: string, userId: string, permissions: PermissionInput[]): StoredPermission[] {
    return this.write(workspaceId, (workspace) => users.replaceUserPermissions(workspace, userId, permissions));
  }

  addUserPermissions(workspaceId: string, userId: string, permissions: PermissionInput[]): StoredPermission[] {
    return this.write(workspaceId, (workspace) => users.addUserPermissions(workspace, userId, permissions));
  }

  createInvites(workspaceId: string, newInvites: invites.InviteInput[]): string[] {
    return this.write(workspaceId, (workspace) => invites.createInvites(workspace, newInvites, this.clock.nowMs()));
  }

  deleteInvites(workspaceId: string, emails: string[]): void {
    this.write(workspaceId, (workspace) => invites.deleteInvites(workspace, emails));
  }

  /** As if the person clicked the link in the invite email. */
  acceptInvite(workspaceId: string, email: string): UserRecord {
    return this.write(workspaceId, (workspace) => invites.acceptInvite(workspace, email, this.clock.nowMs()));
  }

  /** Accepts several invites at once; all or nothing. */
  acceptInvites(workspaceId: string, emails: string[]): UserRecord[] {
    return this.write(workspaceId, (workspace) =>
      emails.map((email) => invites.acceptInvite(workspace, email, this.clock.nowMs())),
    );
  }

  createGroup(workspaceId: string, name: string): GroupRecord {
    return this.write(workspaceId, (workspace) => groups.createGroup(workspace, name));
  }

  renameGroup(workspaceId: string, groupId: string, name: string): GroupRecord {
    return this.write(workspaceId, (workspace) => groups.renameGroup(workspace, groupId, name));
  }

  deleteGroup(workspaceId: string, groupId: string): void {
    this.write(workspaceId, (workspace) => groups.deleteGroup(workspace, groupId));
  }

  replaceGroupPermissions(workspaceId: string, groupId: string, permissions: PermissionInput[]): StoredPermission[] {
    return this.write(workspaceId, (workspace) => groups.replaceGroupPermissions(workspace, groupId, permissions));
  }

  addGroupPermissions(workspaceId: string, groupId: string, permissions: PermissionInput[]): StoredPermission[] {
    return this.write(workspaceId, (workspace) => groups.addGroupPermissions(workspace, groupId, permissions));
  }

  addGroupMembers(workspaceId: string, groupId: string, emails: string[]): GroupRecord {
    return this.write(workspaceId, (workspace) => groups.addGroupMembers(workspace, groupId, emails));
  }

  replaceGroupMembers(workspaceId: string, groupId: string, emails: string[]): GroupRecord {
    return this.write(workspaceId, (workspace) => groups.replaceGroupMembers(workspace, groupId, emails));
  }

  removeGroupMembers(workspaceId: string, groupId: string, emails: string[]): void {
    this.write(workspaceId, (workspace) => groups.removeGroupMembers(workspace, groupId, emails));
  }

  advanceClock(ms: number): void {
    this.clock.advance(ms);
    this.revisionCounter += 1;
  }

  /** A JSON-ready snapshot of every workspace. Tokens are kept apart and never appear here. */
  dump(): StateSnapshot {
    return structuredClone({
      format: 'segment-api-emulator-state' as const,
      version: 1 as const,
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

  private requireWorkspace(workspaceId: string): WorkspaceRecord {
    const workspace = this.workspaces.get(workspaceId);
    if (!workspace) throw notFoundError(`No workspace with id "${workspaceId}".`, 'workspaceId');
    return workspace;
  }

  private read<T>(workspaceId: string, query: (workspace: WorkspaceRecord) => T): T {
    return structuredClone(query(this.requireWorkspace(workspaceId)));
  }

  private write<T>(workspaceId: string, change: (draft: WorkspaceRecord) => T): T {
    const current = this.requireWorkspace(workspaceId);
    const draft = structuredClone(current);
    const result = change(draft);
    assertOwnerRemains(current, draft);
    this.workspaces.set(workspaceId, draft);
    this.revisionCounter += 1;
    return structuredClone(result);
  }
}
