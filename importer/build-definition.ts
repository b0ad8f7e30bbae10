import { CollaboratorKind, Environment, Region, WorkspaceRole } from '../model/enums';
import type { DesiredPermission } from '../model/desired-state';
import { canonicalJson } from '../model/canonical';
import { utcDay } from '../reconciler/records';
import type { AccessDefinition, CollaboratorAccess, EnvironmentOverride, GrantDefinition, GroupAccess } from '../stacks/access-definition';
import type { SegmentWorkspaceProps } from '../constructs/segment-workspace-props';
import { effectiveRole, emailDomain } from '../policy/rule';
import { PERSONAL_EMAIL_DOMAINS } from '../policy/rules/email';
import { IMPORT_PLACEHOLDER, IMPORT_STATEMENTS } from '../policy/placeholders';
import { importCatalog } from './catalog';
import { ImportedGrant, mapPermissions } from './preset-detection';
import { InviteAgeSource, PendingInvite, WorkspaceSnapshot } from './live-snapshot';

export interface ImportOptions {
  /** The day of the import (the executor's clock: SEGMENT_ACCESS_NOW pins it). */
  readonly now: Date;
  /**
   * Record that the access predates this code instead of writing placeholders: this text becomes
   * every ticket, and requester, approver, justification and override reasons say "not recorded".
   * @default - placeholders that SA-AUDIT-001 rejects until people write the real values
   */
  readonly approvalReference?: string;
  /** @default 'segment-access' */
  readonly recordPrefix?: string;
}

/** A constant the generated module declares once and refers to wherever the value is used. */
export interface ImportConstant {
  readonly name: string;
  readonly value: string;
  readonly comment: string;
}

/** Someone with access in a workspace the definition does not declare, and why. */
export interface NotImported {
  readonly email: string;
  readonly environment: Environment;
  readonly reason: string;
}

/** A pending invite, per environment, for the commented-out entries and the summary. */
export interface PendingEntry {
  readonly email: string;
  readonly environment: Environment;
  readonly invite: PendingInvite;
}

/** The imported definition plus everything the file and the summary say about it. */
export interface ImportedDefinition {
  readonly definition: AccessDefinition;
  readonly snapshots: readonly WorkspaceSnapshot[];
  readonly day: string;
  readonly approvalReference: string | null;
  readonly constants: readonly ImportConstant[];
  /** Comment lines above a collaborator or group entry, by its id. */
  readonly entryNotes: ReadonlyMap<string, readonly string[]>;
  /** A comment beside an environment override, by entry id and environment. */
  readonly overrideNotes: ReadonlyMap<string, ReadonlyMap<Environment, string>>;
  /** Comment beside `email` / `kind` of a collaborator, by id. */
  readonly kindNotes: ReadonlyMap<string, string>;
  /** People only invited (in no workspace a member): written commented out, to confirm or delete. */
  readonly pendingOnly: readonly CollaboratorAccess[];
  readonly pendingNotes: ReadonlyMap<string, string>;
  readonly pending: readonly PendingEntry[];
  readonly notImported: readonly NotImported[];
  readonly groupsWithoutPermissions: readonly { readonly environment: Environment; readonly name: string; readonly memberCount: number }[];
  readonly catalogNotes: readonly { readonly environment: Environment; readonly note: string }[];
  /** Collaborators and group grants whose access differs between environments. */
  readonly differences: number;
}

const RESERVED_IDS = new Set(['Workspace', 'Release', 'Reconciler', 'backend']);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Construct ids: letters and digits of the email's local part (or group name), PascalCase, unique. */
export class IdAllocator {
  private readonly used = new Set<string>();

  public allocate(text: string, qualifier = ''): string {
    const pascal = (s: string) =>
      s
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join('');
    let base = pascal(text) || 'Imported';
    if (!/^[A-Za-z]/.test(base)) base = `Id${base}`;
    if (RESERVED_IDS.has(base)) base = `${base}Access`;
    const candidates = [base, `${base}${pascal(qualifier)}`];
    let id = candidates.find((c) => c && !this.used.has(c));
    for (let n = 2; !id; n++) if (!this.used.has(`${base}${n}`)) id = `${base}${n}`;
    this.used.add(id);
    return id;
  }
}

function isPersonalMailbox(email: string): boolean {
  return PERSONAL_EMAIL_DOMAINS.includes(emailDomain(email));
}

/** The texts written where the API cannot say: placeholders, or the approval reference. */
function auditTexts(day: string, approvalReference: string | undefined): { constants: ImportConstant[]; ticket: Code; requestedBy: Code; approvedBy: Code; justification: Code; reason: Code } {
  if (approvalReference === undefined) {
    const todo = (name: string, what: string, comment: string): ImportConstant => ({ name, value: `${IMPORT_PLACEHOLDER}: ${what}`, comment });
    const constants = [
      todo('TODO_TICKET', 'the ticket or approval reference', 'Replace in each entry with the real ticket; SA-AUDIT-001 stops synth while any remains.'),
      todo('TODO_REQUESTED_BY', 'who requested this access', 'Who asked for the access.'),
      todo('TODO_APPROVED_BY', 'who approved this access', 'Who approved it.'),
      todo('TODO_JUSTIFICATION', 'why this role is needed', 'Why an OWNER or ADMIN role is needed.'),
      todo('TODO_REASON', 'why this environment differs', 'Why the access differs in this environment.'),
    ];
    return { constants, ticket: ref(constants[0]), requestedBy: ref(constants[1]), approvedBy: ref(constants[2]), justification: ref(constants[3]), reason: ref(constants[4]) };
  }
  const constants: ImportConstant[] = [
    { name: 'IMPORTED', value: approvalReference, comment: 'The approval reference (--approval-reference): this access predates the code.' },
    { name: 'NOT_RECORDED', value: IMPORT_STATEMENTS.notRecorded(day), comment: 'Requester and approver were never recorded.' },
    { name: 'HELD_WHEN_IMPORTED', value: IMPORT_STATEMENTS.heldWhenImported(day), comment: 'The justification of OWNER and ADMIN grants that predate the code.' },
    { name: 'DIFFERED_WHEN_IMPORTED', value: IMPORT_STATEMENTS.differedWhenImported(day), comment: 'Why an environment differs.' },
  ];
  return { constants, ticket: ref(constants[0]), requestedBy: ref(constants[1]), approvedBy: ref(constants[1]), justification: ref(constants[2]), reason: ref(constants[3]) };
}

/** A reference to a constant: its value in the definition, its name in the file. */
class Code {
  constructor(readonly constant: ImportConstant) {}
}

function ref(constant: ImportConstant): Code {
  return new Code(constant);
}

interface EnvView {
  readonly environment: Environment;
  readonly snapshot: WorkspaceSnapshot;
  readonly grant?: ImportedGrant;
  readonly permissions?: readonly DesiredPermission[];
  readonly candidates?: readonly ImportedGrant[];
  readonly notImported?: string;
  readonly pending?: PendingInvite;
}

const keyOf = (g: ImportedGrant) => canonicalJson({ role: g.role, sourceAccess: g.sourceAccess ?? {}, customPermissions: g.customPermissions ?? [] });

/**
 * The grant most environments can share, and each environment's pick. Ties go to the grant whose
 * role more environments can have (so an override changes sources, not the role), then to the
 * earlier environment's better candidate.
 */
function chooseGrants(views: EnvView[]): { base: ImportedGrant; picks: Map<Environment, ImportedGrant> } {
  const counts = new Map<string, { grant: ImportedGrant; count: number }>();
  const roleCounts = new Map<WorkspaceRole, number>();
  for (const v of views) {
    for (const c of v.candidates ?? []) {
      const entry = counts.get(keyOf(c)) ?? { grant: c, count: 0 };
      entry.count++;
      counts.set(keyOf(c), entry);
    }
    // Explicit permissions are the fallback: they never win a tie against a preset.
    for (const role of new Set((v.candidates ?? []).map((c) => c.role))) if (role !== WorkspaceRole.CUSTOM) roleCounts.set(role, (roleCounts.get(role) ?? 0) + 1);
  }
  let base: ImportedGrant | undefined;
  let best: [number, number] = [0, 0];
  for (const { grant, count } of counts.values()) {
    const score: [number, number] = [count, roleCounts.get(grant.role) ?? 0];
    if (score[0] > best[0] || (score[0] === best[0] && score[1] > best[1])) [base, best] = [grant, score];
  }
  const picks = new Map<Environment, ImportedGrant>();
  for (const v of views) {
    const cands = v.candidates ?? [];
    if (!cands.length) continue;
    // Else the same preset with other sources; never explicit permissions where a preset fits.
    const samePreset = base!.role === WorkspaceRole.CUSTOM ? undefined : cands.find((c) => c.role === base!.role);
    picks.set(v.environment, cands.find((c) => keyOf(c) === keyOf(base!)) ?? samePreset ?? cands[0]);
  }
  return { base: base!, picks };
}

function needsJustification(grant: ImportedGrant, permissions: readonly DesiredPermission[]): boolean {
  const role = effectiveRole({ role: grant.role, permissions: [...permissions] });
  return role === WorkspaceRole.OWNER || role === WorkspaceRole.ADMIN;
}

function grantFields(g: ImportedGrant): Pick<GrantDefinition, 'role' | 'sourceAccess' | 'customPermissions'> {
  return {
    role: g.role,
    ...(g.sourceAccess && Object.keys(g.sourceAccess).length ? { sourceAccess: clone(g.sourceAccess) } : {}),
    ...(g.customPermissions ? { customPermissions: clone(g.customPermissions) as GrantDefinition['customPermissions'] } : {}),
  };
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** What an environment override must set so `{ ...base, ...override }` is exactly `g`. */
function overrideFields(base: ImportedGrant, g: ImportedGrant): Partial<GrantDefinition> {
  const out: Record<string, unknown> = {};
  if (g.role !== base.role) out.role = g.role;
  const baseAccess = canonicalJson(base.sourceAccess ?? {});
  if (canonicalJson(g.sourceAccess ?? {}) !== baseAccess) out.sourceAccess = clone(g.sourceAccess ?? {});
  if (canonicalJson(g.customPermissions ?? []) !== canonicalJson(base.customPermissions ?? [])) out.customPermissions = clone(g.customPermissions ?? []);
  return out as Partial<GrantDefinition>;
}

function describeInvite(snapshot: WorkspaceSnapshot, invite: PendingInvite, now: Date): string {
  if (!invite.invitedOn) return `pending invite in ${snapshot.environment}, age unknown`;
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(`${invite.invitedOn}T00:00:00Z`)) / 86_400_000));
  const since = `pending invite in ${snapshot.environment} since ${invite.invitedOn} (${days} day(s), from the ${invite.ageSource})`;
  // This tool sent it and manages it: left undeclared, the next deploy cancels it.
  return invite.ageSource === InviteAgeSource.RECORD ? `${since}; recorded as managed by segment-access, so the next deploy cancels it unless it is declared` : since;
}

/**
 * Live workspaces -> one access definition that reproduces them exactly: each person once, with the
 * grant most environments share and explicit overrides where the others differ; group grants for
 * user groups that hold permissions; this tool's record groups are never read as anyone's access.
 * Pure: the same snapshots and options always give the same definition.
 */
export function buildImportedDefinition(snapshots: readonly WorkspaceSnapshot[], options: ImportOptions): ImportedDefinition {
  const day = utcDay(options.now);
  const audit = auditTexts(day, options.approvalReference);
  const used = new Set<ImportConstant>();
  const text = (code: Code) => {
    used.add(code.constant);
    return code.constant.value;
  };
  const ids = new IdAllocator();
  const catalogs = new Map(snapshots.map((s) => [s.environment, importCatalog(s.workspace.id, s.sources, s.warehouses)]));

  const workspaces: Partial<Record<Environment, SegmentWorkspaceProps>> = {};
  for (const s of snapshots) {
    const { catalog } = catalogs.get(s.environment)!;
    workspaces[s.environment] = {
      workspaceId: s.workspace.id,
      slug: s.workspace.slug,
      displayName: s.workspace.name.trim() || s.workspace.slug,
      environment: s.environment,
      tokenEnvVar: s.tokenEnvVar,
      ...(s.declared.region && s.declared.region !== Region.US ? { region: s.declared.region } : {}),
      ...(s.declared.seatLimit !== undefined ? { seatLimit: s.declared.seatLimit } : {}),
      ...(s.declared.ssoDomains?.length ? { sso: { enforced: true, domains: [...s.declared.ssoDomains] } } : {}),
      ...(options.recordPrefix && options.recordPrefix !== 'segment-access' ? { recordPrefix: options.recordPrefix } : {}),
      sources: catalog.sources.map((src) => ({ id: src.id, name: src.name, ...(Object.keys(src.labels).length ? { labels: { ...src.labels } } : {}) })),
      warehouses: catalog.warehouses.map((w) => ({ id: w.id, name: w.name })),
    };
  }

  const entryNotes = new Map<string, string[]>();
  const overrideNotes = new Map<string, Map<Environment, string>>();
  const kindNotes = new Map<string, string>();
  const notImported: NotImported[] = [];
  const pending: PendingEntry[] = [];
  let differences = 0;

  /** Environment overrides for one entry; notes go beside them. */
  const environmentsFor = (id: string, views: EnvView[], base: ImportedGrant, picks: Map<Environment, ImportedGrant>, baseHasJustification: boolean, group: boolean) => {
    const environments: Partial<Record<Environment, EnvironmentOverride>> = {};
    const notes = new Map<Environment, string>();
    for (const v of views) {
      const ws = v.snapshot.workspace.name;
      const pick = picks.get(v.environment);
      if (!pick) {
        const missing = group ? `No such user group in ${ws}` : `Not a member of ${ws}`;
        const why = v.notImported ? `Not imported in ${ws}: ${v.notImported}; left as it is` : `${missing} when imported on ${day}`;
        environments[v.environment] = { reason: why, absent: true };
        if (v.pending) notes.set(v.environment, `${describeInvite(v.snapshot, v.pending, options.now)}: confirm it (declare the access here) or delete it in Segment`);
        continue;
      }
      const changes = overrideFields(base, pick);
      const justify = !baseHasJustification && needsJustification(pick, v.permissions!);
      if (Object.keys(changes).length === 0) continue;
      environments[v.environment] = { reason: text(audit.reason), ...changes, ...(justify ? { justification: text(audit.justification) } : {}) };
      notes.set(v.environment, `the access in ${ws} differs from the other environments`);
    }
    if (notes.size) overrideNotes.set(id, notes);
    const differs = Object.values(environments).some((o) => !o!.absent);
    if (differs) differences++;
    return Object.keys(environments).length ? environments : undefined;
  };

  for (const s of snapshots) for (const invite of s.invites) pending.push({ email: invite.email, environment: s.environment, invite });
  pending.sort((a, b) => compare(a.email, b.email));

  // People: every member of any workspace, once.
  const emails = [...new Set(snapshots.flatMap((s) => s.users.map((u) => u.email)))].sort(compare);
  const collaborators: CollaboratorAccess[] = [];
  for (const email of emails) {
    const views: EnvView[] = snapshots.map((s) => {
      const user = s.users.find((u) => u.email === email);
      const invite = s.invites.find((i) => i.email === email);
      if (!user) return { environment: s.environment, snapshot: s, pending: invite };
      const mapping = mapPermissions(user.permissions, catalogs.get(s.environment)!.catalog);
      if (mapping.ok) return { environment: s.environment, snapshot: s, permissions: user.permissions, candidates: mapping.candidates };
      const groups = s.groups.filter((g) => g.memberEmails.includes(email)).map((g) => `"${g.name}"`);
      const reason = mapping.reason === 'no permissions of its own' && groups.length
        ? `no permissions of its own; member of user group ${groups.join(', ')}, whose access is declared as a group grant`
        : mapping.reason;
      notImported.push({ email, environment: s.environment, reason });
      return { environment: s.environment, snapshot: s, notImported: reason };
    });
    if (!views.some((v) => v.candidates)) continue;
    const { base, picks } = chooseGrants(views);
    const firstUser = snapshots.map((s) => s.users.find((u) => u.email === email)).find(Boolean)!;
    const id = ids.allocate(email.slice(0, email.lastIndexOf('@')), email.slice(email.lastIndexOf('@') + 1).split('.')[0]);
    const baseEnv = views.find((v) => v.candidates && picks.get(v.environment) && keyOf(picks.get(v.environment)!) === keyOf(base));
    const baseJustified = baseEnv !== undefined && needsJustification(base, baseEnv.permissions!);
    const personal = isPersonalMailbox(email);
    if (personal) kindNotes.set(id, `personal mailbox (${emailDomain(email)}): imported as a named PERSON; the checklist wants a service account (SA-EMAIL-001)`);
    const environments = environmentsFor(id, views, base, picks, baseJustified, false);
    collaborators.push({
      id,
      email,
      displayName: firstUser.name.trim() || email,
      ...(personal ? { kind: CollaboratorKind.PERSON } : {}),
      ticket: text(audit.ticket),
      requestedBy: text(audit.requestedBy),
      approvedBy: text(audit.approvedBy),
      grant: { ...grantFields(base), ...(baseJustified ? { justification: text(audit.justification) } : {}) },
      ...(environments ? { environments } : {}),
    });
  }

  // Group grants: user groups that hold permissions (this tool's record groups were left out when reading).
  const groupsWithoutPermissions: ImportedDefinition['groupsWithoutPermissions'][number][] = [];
  const groupNames = [...new Set(snapshots.flatMap((s) => s.groups.map((g) => g.name)))].sort(compare);
  const groupGrants: GroupAccess[] = [];
  for (const name of groupNames) {
    const views: EnvView[] = snapshots.map((s) => {
      const group = s.groups.find((g) => g.name === name);
      if (!group) return { environment: s.environment, snapshot: s };
      if (name.trim() !== name || name.trim() === '') {
        // A group grant names its group exactly; the construct trims names, so this one cannot be declared.
        const reason = 'its name starts or ends with blank characters, which a group grant cannot name exactly';
        notImported.push({ email: `group "${name}"`, environment: s.environment, reason });
        return { environment: s.environment, snapshot: s, notImported: reason };
      }
      if (group.permissions.length === 0) {
        groupsWithoutPermissions.push({ environment: s.environment, name, memberCount: group.memberCount });
        return { environment: s.environment, snapshot: s, notImported: 'the group holds no permissions' };
      }
      const mapping = mapPermissions(group.permissions, catalogs.get(s.environment)!.catalog);
      if (mapping.ok) return { environment: s.environment, snapshot: s, permissions: group.permissions, candidates: mapping.candidates };
      notImported.push({ email: `group "${name}"`, environment: s.environment, reason: mapping.reason });
      return { environment: s.environment, snapshot: s, notImported: mapping.reason };
    });
    if (!views.some((v) => v.candidates)) continue;
    const { base, picks } = chooseGrants(views);
    const id = ids.allocate(name, 'Group');
    const baseEnv = views.find((v) => v.candidates && keyOf(picks.get(v.environment)!) === keyOf(base));
    const baseJustified = baseEnv !== undefined && needsJustification(base, baseEnv.permissions!);
    const members = views.flatMap((v) => {
      const g = v.snapshot.groups.find((x) => x.name === name);
      return g && v.candidates ? [`${v.environment}: ${g.memberCount} member(s)`] : [];
    });
    entryNotes.set(id, [`User group "${name}" (${members.join(', ')}): its identity provider owns the membership; only its permissions are declared.`]);
    const environments = environmentsFor(id, views, base, picks, baseJustified, true);
    groupGrants.push({
      id,
      groupName: name,
      grant: {
        ...grantFields(base),
        ticket: text(audit.ticket),
        requestedBy: text(audit.requestedBy),
        approvedBy: text(audit.approvedBy),
        ...(baseJustified ? { justification: text(audit.justification) } : {}),
      },
      ...(environments ? { environments } : {}),
    });
  }

  // Only invited, nowhere a member: commented-out entries to confirm or delete.
  const members = new Set(emails);
  const pendingOnly: CollaboratorAccess[] = [];
  const pendingNotes = new Map<string, string>();
  for (const email of [...new Set(pending.map((p) => p.email))].filter((e) => !members.has(e)).sort(compare)) {
    const id = ids.allocate(email.slice(0, email.lastIndexOf('@')), email.slice(email.lastIndexOf('@') + 1).split('.')[0]);
    const invitedIn = new Set(pending.filter((p) => p.email === email).map((p) => p.environment));
    const environments: Partial<Record<Environment, EnvironmentOverride>> = {};
    for (const s of snapshots) if (!invitedIn.has(s.environment)) environments[s.environment] = { reason: `Not invited to ${s.workspace.name}`, absent: true };
    pendingNotes.set(id, pending.filter((p) => p.email === email).map((p) => describeInvite(snapshots.find((s) => s.environment === p.environment)!, p.invite, options.now)).join('; '));
    pendingOnly.push({
      id,
      email,
      displayName: email,
      ticket: text(audit.ticket),
      requestedBy: text(audit.requestedBy),
      approvedBy: text(audit.approvedBy),
      grant: { role: WorkspaceRole.READ_ONLY },
      ...(Object.keys(environments).length ? { environments } : {}),
    });
  }

  return {
    // Present when there is anything to say about groups, so the file's notes have a place.
    definition: { workspaces, collaborators, ...(groupGrants.length || groupNames.length ? { groupGrants } : {}) },
    snapshots,
    day,
    approvalReference: options.approvalReference ?? null,
    constants: audit.constants.filter((c) => used.has(c)),
    entryNotes,
    overrideNotes,
    kindNotes,
    pendingOnly,
    pendingNotes,
    pending,
    notImported,
    groupsWithoutPermissions,
    catalogNotes: snapshots.flatMap((s) => catalogs.get(s.environment)!.notes.map((note) => ({ environment: s.environment, note }))),
    differences,
  };
}
