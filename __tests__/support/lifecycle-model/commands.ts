import fc from 'fast-check';
import { emulatorSettingsSchema, EmulatorSettingsInput, findRoleByName } from '../../../emulator';
import { WorkspaceRole } from '../../../model/enums';
import { SINGLE_ALTERNATIVES } from '../behaviour-world';
import { E2E_WS, OTHER_ACTOR, OWNER, PERSON_ACTOR } from '../e2e';
import { checkAlways, checkConverged, checkDeploy, groupKey, InvariantBroken } from './invariants';
import { AppName, appOf, daysAfter, declaredNow, LifecycleModel, Narrowing, OUTSIDERS, Override, POOLS, PresetRole, Request } from './model';
import { Disruption, LifecycleWorld } from './world';

type Command = fc.AsyncCommand<LifecycleModel, LifecycleWorld>;

/** What the sequences did (printed with FC_STATS=1): shows the search reaches the situations it should. */
export const coverage = new Map<string, number>();
const count = (what: string) => coverage.set(what, (coverage.get(what) ?? 0) + 1);

// --- edit the requests -----------------------------------------------------------------------------

type Edit =
  | { readonly kind: 'add'; readonly request: Request; readonly expiresInDays: number | null }
  | { readonly kind: 'change role'; readonly role: PresetRole }
  | { readonly kind: 'narrow'; readonly narrowing: Narrowing }
  | { readonly kind: 'expire'; readonly inDays: number }
  | { readonly kind: 'override'; readonly override: Override }
  | { readonly kind: 'remove' };

class EditRequests implements Command {
  constructor(
    readonly app: AppName,
    readonly email: string,
    readonly edit: Edit,
  ) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return this.edit.kind === 'add' || m.apps[this.app].requests.has(this.email);
  }
  async run(m: LifecycleModel, w: LifecycleWorld): Promise<void> {
    const requests = m.apps[this.app].requests;
    const current = requests.get(this.email);
    const e = this.edit;
    if (e.kind === 'remove') requests.delete(this.email);
    else if (e.kind === 'add') requests.set(this.email, e.expiresInDays === null ? e.request : { ...e.request, expiresOn: daysAfter(m.nowMs, e.expiresInDays) });
    else if (current) {
      if (e.kind === 'change role') requests.set(this.email, { ...current, role: e.role });
      if (e.kind === 'narrow') requests.set(this.email, { ...current, narrowing: e.narrowing });
      if (e.kind === 'expire') requests.set(this.email, { ...current, expiresOn: daysAfter(m.nowMs, e.inDays) });
      if (e.kind === 'override') requests.set(this.email, { ...current, override: e.override });
    }
    checkAlways(m, w);
  }
  toString(): string {
    const e = this.edit;
    const detail = e.kind === 'add' ? `${JSON.stringify(e.request)}${e.expiresInDays === null ? '' : ` expiring in ${e.expiresInDays} days`}` : e.kind === 'remove' ? '' : JSON.stringify(Object.values(e).slice(1)[0]);
    return `request(${this.app}: ${e.kind} ${this.email} ${detail})`;
  }
}

// --- deploy ----------------------------------------------------------------------------------------

class Deploy implements Command {
  constructor(
    readonly app: AppName,
    readonly disruption: Disruption,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: LifecycleModel, w: LifecycleWorld): Promise<void> {
    const mine = m.apps[this.app];
    const declared = declaredNow(m, this.app);
    const before = w.people();
    const seatsBefore = w.seats();
    const beforeGroups = w.groups().filter((g) => !g.name.startsWith('segment-access:')).map(groupKey).sort();
    // The seat rule, from the model: new invites beyond the limit, counting the app's own removals, refuse the plan.
    const toInvite = [...declared.keys()].filter((e) => !before.has(e)).length;
    const toFree = [...before.keys()].filter((e) => appOf(e) === this.app && !declared.has(e) && !m.unmanaged.has(e) && !mine.released.has(e)).length;
    const overLimit = m.seatLimit !== null && toInvite > 0 && seatsBefore - toFree + toInvite > m.seatLimit;
    for (const [email, access] of declared) {
      // Someone else's invitee the app now declares becomes the app's: what they hold stays allowed until it converges.
      const theirs = m.unmanaged.get(email);
      if (theirs) {
        m.unmanaged.delete(email);
        m.outsideGrants.set(email, new Set([...(m.outsideGrants.get(email) ?? []), ...theirs.access]));
      }
      mine.deployed.add(email);
      mine.released.delete(email);
      const granted = mine.granted.get(email) ?? new Set<string>();
      for (const a of access) granted.add(a);
      mine.granted.set(email, granted);
    }

    const desired = w.desired(this.app, mine.requests, m.seatLimit);
    const outcome = await w.deploy(desired, this.disruption);
    count(`deploy ${this.disruption.kind} ${outcome.error ? (/Seat limit/.test(outcome.error.message) ? 'refused for seats' : 'failed') : 'ended well'}`);
    if (outcome.result && outcome.result.plan.changes.length > 0) count('deploy with changes');
    if (outcome.result && outcome.result.plan.damage.length > 0) count('deploy reporting damage');
    checkDeploy(m, this.app, before, beforeGroups, seatsBefore, outcome, w);
    // People the run reported it cannot prove it invited are released by it (in any round, a killed run's
    // too): from then on they are unmanaged, kept exactly as they are.
    // So are the pending invites it names for review after an interrupted run it cannot prove.
    const handedOver = [
      ...outcome.plans.flatMap((p) => p.refusals).map((r) => (count(`deploy refusing: ${r.kind}`), r.kind === 'unconfirmed' || r.kind === 'orphaned' || r.kind === 'expired-unproven' ? r.email : '')),
      ...outcome.plans.flatMap((p) => p.damage).flatMap((d) => (d.kind === 'interrupted-run' ? d.unattributed : [])),
    ];
    for (const email of handedOver) {
      if (appOf(email) !== this.app || declared.has(email)) continue;
      mine.released.add(email);
      const now = w.people().get(email);
      if (now) m.unmanaged.set(email, now);
    }
    const clean = this.disruption.kind === 'none';
    if (outcome.error) {
      const refusedForSeats = /Seat limit exceeded/.test(outcome.error.message);
      // People whose removal the run refuses (named in the error: an expired grant it cannot prove it gave) free no seat.
      const held = [...before.keys()].filter((e) => appOf(e) === this.app && !declared.has(e) && !m.unmanaged.has(e) && !mine.released.has(e) && outcome.error!.message.includes(`${e} (`)).length;
      // A re-sent invite (expired, or its permissions changed) takes its seat again: over the limit the run
      // refuses it too (reconciler/plan.ts). Which invites are re-sent is the product's reading of live
      // invites, so the model takes that count from the refusal and checks the arithmetic.
      const resent = Number(/, (\d+) to re-send/.exec(outcome.error.message)?.[1] ?? 0);
      const overWithHeld = m.seatLimit !== null && toInvite + resent > 0 && seatsBefore - (toFree - held) + toInvite > m.seatLimit;
      if (refusedForSeats && !overWithHeld) throw new InvariantBroken('a deploy within the seat limit was refused for seats', outcome.error.message);
      if (clean && !refusedForSeats) throw new InvariantBroken(`a clean deploy of ${this.app} failed`, outcome.error.message);
      if (refusedForSeats && JSON.stringify([...w.people()]) !== JSON.stringify([...before])) throw new InvariantBroken('a deploy refused for seats changed people', [...w.people().keys()]);
    } else if (outcome.result && outcome.result.plan.refusals.length > 0) {
      // The run refused something and said why in its plan (e.g. an invite record older than the audit
      // trail that it cannot prove is its own): not a clean deploy, so the model's equality is not owed.
    } else if (outcome.result) {
      if (overLimit) throw new InvariantBroken('a deploy over the seat limit was not refused', { limit: m.seatLimit, seatsBefore, toInvite, toFree });
      const plan = outcome.result.plan;
      checkConverged(m, this.app, w, plan.damage.flatMap((d) => ('group' in d && typeof d.group === 'string' ? [d.group] : [])));
      if (clean && outcome.result.rounds === 1 && plan.seats.after !== w.seats()) {
        throw new InvariantBroken('the plan said one seat count and the deploy left another', { planned: plan.seats, actual: w.seats() });
      }
      // The app took back what someone else gave its people (checked above); others' people keep theirs.
      for (const email of [...m.outsideGrants.keys()]) if (appOf(email) === this.app) m.outsideGrants.delete(email);
      const again = await w.deploy(desired, { kind: 'none' });
      if (again.error || again.writes !== 0) {
        throw new InvariantBroken(`a second deploy of ${this.app} after a clean one was not a no-op`, again.error?.message ?? { writes: again.writes, changes: again.result?.plan.changes });
      }
    }
    checkAlways(m, w);
  }
  toString(): string {
    const d = this.disruption;
    return `deploy(${this.app}${d.kind === 'none' ? '' : `, ${JSON.stringify(d)}`})`;
  }
}

// --- someone else edits Segment ---------------------------------------------------------------------

type Outside =
  | { readonly kind: 'invite outsider'; readonly index: number; readonly owner: boolean }
  | { readonly kind: 'invite someone an app may declare'; readonly index: number }
  | { readonly kind: 'remove unmanaged'; readonly index: number }
  | { readonly kind: 'repermission unmanaged'; readonly index: number }
  | { readonly kind: 'grant a managed member more'; readonly index: number }
  | { readonly kind: 'remove a managed person'; readonly index: number }
  | { readonly kind: 'create a group'; readonly index: number }
  | { readonly kind: 'delete a group'; readonly index: number }
  | { readonly kind: 'set a group permission'; readonly index: number }
  | { readonly kind: 'add to a record'; readonly index: number }
  | { readonly kind: 'forge a record'; readonly index: number; readonly copy: boolean };

const roleId = (name: string) => findRoleByName(name)!.id;
const IOS_ADMIN = [{ roleId: roleId('Source Admin'), resources: [{ id: 'srcIos', type: 'SOURCE' as const }] }];
const WEB_READ = [{ roleId: roleId('Source Read-only'), resources: [{ id: 'srcWeb', type: 'SOURCE' as const }] }];
const OWNS_WS = [{ roleId: roleId('Workspace Owner'), resources: [{ id: E2E_WS, type: 'WORKSPACE' as const }] }];

class SomeoneElseEdits implements Command {
  constructor(
    readonly edit: Outside,
    readonly person: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: LifecycleModel, w: LifecycleWorld): Promise<void> {
    const state = w.emulator.state;
    const actor = this.person ? PERSON_ACTOR : OTHER_ACTOR;
    const e = this.edit;
    const pick = <T>(list: readonly T[]): T | undefined => (list.length === 0 ? undefined : list[e.index % list.length]);
    const user = (email: string) => state.listUsers(E2E_WS).find((u) => u.email.toLowerCase() === email);
    const unmanaged = [...m.unmanaged.keys()].filter((email) => email !== OWNER).sort();
    const managed = [...w.people().entries()].filter(([email]) => appOf(email) !== undefined && !m.unmanaged.has(email)).sort(([a], [b]) => a.localeCompare(b));
    const others = () => w.groups().filter((g) => !g.name.startsWith('segment-access:')).sort((a, b) => a.id.localeCompare(b.id));
    const records = () => w.groups().filter((g) => g.name.startsWith('segment-access:') && !g.name.includes(':intent:')).sort((a, b) => a.id.localeCompare(b.id));
    const refresh = (email: string) => {
      const now = w.people().get(email);
      if (now) m.unmanaged.set(email, now);
      else m.unmanaged.delete(email);
    };
    try {
      switch (e.kind) {
        case 'invite outsider': {
          const email = pick(OUTSIDERS)!;
          if (w.people().has(email.toLowerCase())) break;
          state.createInvites(E2E_WS, [{ email, permissions: e.owner ? OWNS_WS : WEB_READ }], actor);
          refresh(email.toLowerCase());
          break;
        }
        case 'invite someone an app may declare': {
          // Only someone no deploy has declared yet: until one does, they are someone else's invitee.
          const email = pick(Object.values(POOLS).flat().filter((x) => !w.people().has(x.toLowerCase()) && !m.apps[appOf(x)!].deployed.has(x.toLowerCase())));
          if (!email) break;
          state.createInvites(E2E_WS, [{ email, permissions: WEB_READ }], actor);
          refresh(email.toLowerCase());
          break;
        }
        case 'remove unmanaged': {
          const email = pick(unmanaged);
          if (!email) break;
          const u = user(email);
          if (u) state.deleteUsers(E2E_WS, [u.id], actor);
          else state.deleteInvites(E2E_WS, [m.unmanaged.get(email)!.email], actor);
          refresh(email);
          break;
        }
        case 'repermission unmanaged': {
          const email = pick(unmanaged.filter((x) => user(x)));
          if (!email) break;
          state.replaceUserPermissions(E2E_WS, user(email)!.id, IOS_ADMIN, actor);
          refresh(email);
          break;
        }
        case 'grant a managed member more': {
          const entry = pick(managed.filter(([, p]) => !p.pending));
          if (!entry) break;
          state.addUserPermissions(E2E_WS, user(entry[0])!.id, IOS_ADMIN, actor);
          const grants = m.outsideGrants.get(entry[0]) ?? new Set<string>();
          grants.add('Source Admin@SOURCE:srcIos');
          m.outsideGrants.set(entry[0], grants);
          break;
        }
        case 'remove a managed person': {
          const entry = pick(managed);
          if (!entry) break;
          if (entry[1].pending) state.deleteInvites(E2E_WS, [entry[1].email], actor);
          else state.deleteUsers(E2E_WS, [user(entry[0])!.id], actor);
          break;
        }
        case 'create a group':
          state.createGroup(E2E_WS, `Team ${e.index % 3}`, actor);
          break;
        case 'delete a group': {
          const g = pick(others());
          if (g) state.deleteGroup(E2E_WS, g.id, actor);
          break;
        }
        case 'set a group permission': {
          const g = pick(others());
          if (g) state.replaceGroupPermissions(E2E_WS, g.id, WEB_READ, actor);
          break;
        }
        case 'add to a record': {
          const g = pick(records());
          const email = pick(unmanaged);
          if (g && email) state.addGroupMembers(E2E_WS, g.id, [m.unmanaged.get(email)!.email], actor);
          break;
        }
        case 'forge a record': {
          const g = pick(records());
          const email = pick(unmanaged);
          if (!g || !email) break;
          const name = e.copy ? g.name : `${g.name.slice(0, -4)}${g.name.endsWith('0000') ? '1111' : '0000'}`;
          const forged = state.createGroup(E2E_WS, name, actor);
          state.addGroupMembers(E2E_WS, forged.id, [m.unmanaged.get(email)!.email], actor);
          break;
        }
      }
      count(`someone else: ${e.kind}`);
    } catch (error) {
      // Segment refused the edit (a duplicate group name, the last owner): nothing changed.
      if (!(error instanceof Error) || !/refus|exist|already|owner|duplicate|422|409|name/i.test(error.message)) throw error;
    }
    checkAlways(m, w);
  }
  toString(): string {
    return `someoneElse(${this.person ? 'a person' : 'another token'}: ${JSON.stringify(this.edit)})`;
  }
}

// --- people accept, time passes, Segment changes ----------------------------------------------------

class AcceptInvites implements Command {
  constructor(readonly picks: readonly number[]) {}
  check(): boolean {
    return true;
  }
  async run(m: LifecycleModel, w: LifecycleWorld): Promise<void> {
    const state = w.emulator.state;
    const open = state.listInvites(E2E_WS).filter((i) => !state.isInviteExpired(i)).map((i) => i.email).sort();
    count('accept');
    const chosen = [...new Set(this.picks.map((p) => open[p % Math.max(open.length, 1)]).filter((e): e is string => e !== undefined))];
    if (chosen.length > 0) w.emulator.acceptInvites(E2E_WS, chosen);
    count(`accepted ${chosen.length > 0 ? 'some' : 'none'}`);
    for (const email of chosen.map((e) => e.toLowerCase())) {
      if (!m.unmanaged.has(email)) continue;
      m.unmanaged.set(email, w.people().get(email)!);
    }
    checkAlways(m, w);
  }
  toString(): string {
    return `acceptInvites(${JSON.stringify(this.picks)})`;
  }
}

class AdvanceClock implements Command {
  constructor(readonly days: number) {}
  check(): boolean {
    return true;
  }
  async run(m: LifecycleModel, w: LifecycleWorld): Promise<void> {
    w.advanceDays(this.days);
    count(this.days > 80 ? 'clock: a quarter passes' : 'clock: days pass');
    m.nowMs = w.nowMs;
    checkAlways(m, w);
  }
  toString(): string {
    return `advanceClock(${this.days} days)`;
  }
}

const DEFAULTS = emulatorSettingsSchema.parse({});
/** Every single alternative, and back to the defaults of the keys they change. */
const SETTINGS: readonly [string, EmulatorSettingsInput][] = [
  ...SINGLE_ALTERNATIVES,
  ['defaults', Object.fromEntries(SINGLE_ALTERNATIVES.flatMap(([, s]) => Object.keys(s)).map((k) => [k, DEFAULTS[k as keyof typeof DEFAULTS]]))],
];

class SwitchSettings implements Command {
  constructor(readonly index: number) {}
  check(): boolean {
    return true;
  }
  async run(m: LifecycleModel, w: LifecycleWorld): Promise<void> {
    const [name, settings] = SETTINGS[this.index % SETTINGS.length];
    w.emulator.state.changeSettings(settings);
    count('settings switched');
    m.settingsLog.push(name);
    checkAlways(m, w);
  }
  toString(): string {
    return `switchSettings(${SETTINGS[this.index % SETTINGS.length][0]})`;
  }
}

// --- arbitraries -------------------------------------------------------------------------------------

const appArb = fc.constantFrom(AppName.FIRST, AppName.FIRST, AppName.SECOND);
const roleArb = fc.constantFrom<PresetRole>(WorkspaceRole.MEMBER, WorkspaceRole.READ_ONLY, WorkspaceRole.MEMBER, WorkspaceRole.READ_ONLY, WorkspaceRole.ADMIN, WorkspaceRole.OWNER);
const narrowingArb = fc.constantFrom(Narrowing.NONE, Narrowing.SOURCE, Narrowing.LABEL);
const overrideArb = fc.constantFrom(Override.NONE, Override.NONE, Override.PROD_ABSENT, Override.PROD_READ_ONLY, Override.STAGING_ABSENT);
const expiryDaysArb = fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 80, max: 120 }));
const requestArb: fc.Arbitrary<Request> = fc.record({ role: roleArb, narrowing: narrowingArb, override: overrideArb });

const editArb: fc.Arbitrary<Command> = appArb.chain((app) =>
  fc
    .tuple(
      fc.constantFrom(...POOLS[app]),
      fc.oneof(
        { weight: 4, arbitrary: fc.tuple(requestArb, fc.option(expiryDaysArb, { freq: 3 })).map(([request, expiresInDays]): Edit => ({ kind: 'add', request, expiresInDays })) },
        roleArb.map((role): Edit => ({ kind: 'change role', role })),
        narrowingArb.map((narrowing): Edit => ({ kind: 'narrow', narrowing })),
        expiryDaysArb.map((inDays): Edit => ({ kind: 'expire', inDays })),
        overrideArb.map((override): Edit => ({ kind: 'override', override })),
        fc.constant<Edit>({ kind: 'remove' }),
      ),
    )
    .map(([email, edit]) => new EditRequests(app, email, edit)),
);

const disruptionArb: fc.Arbitrary<Disruption> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Disruption>({ kind: 'none' }) },
  fc.integer({ min: 1, max: 8 }).map((afterWrite): Disruption => ({ kind: 'kill', afterWrite })),
  fc.integer({ min: 1, max: 6 }).map((requests): Disruption => ({ kind: '429', requests })),
  fc.record({ rate: fc.constantFrom(0.1, 0.25), seed: fc.integer({ min: 1, max: 1000 }) }).map((r): Disruption => ({ kind: '5xx', ...r })),
  fc.integer({ min: 1, max: 3 }).map((count): Disruption => ({ kind: 'lost-response', count })),
);

const outsideArb: fc.Arbitrary<Command> = fc
  .tuple(
    fc.oneof(
      fc.record({ kind: fc.constant('invite outsider' as const), index: fc.nat(5), owner: fc.boolean() }),
      fc.record({ kind: fc.constant('invite someone an app may declare' as const), index: fc.nat(9) }),
      fc.record({ kind: fc.constant('remove unmanaged' as const), index: fc.nat(9) }),
      fc.record({ kind: fc.constant('repermission unmanaged' as const), index: fc.nat(9) }),
      fc.record({ kind: fc.constant('grant a managed member more' as const), index: fc.nat(9) }),
      fc.record({ kind: fc.constant('remove a managed person' as const), index: fc.nat(9) }),
      fc.record({ kind: fc.constant('create a group' as const), index: fc.nat(5) }),
      fc.record({ kind: fc.constant('delete a group' as const), index: fc.nat(5) }),
      fc.record({ kind: fc.constant('set a group permission' as const), index: fc.nat(5) }),
      fc.record({ kind: fc.constant('add to a record' as const), index: fc.nat(9) }),
      fc.record({ kind: fc.constant('forge a record' as const), index: fc.nat(9), copy: fc.boolean() }),
    ),
    fc.boolean(),
  )
  .map(([edit, person]) => new SomeoneElseEdits(edit as Outside, person));

/** Every command kind of issue 25, weighted so that deploys follow edits often. */
export const commandArbs: fc.Arbitrary<Command>[] = [
  editArb,
  editArb,
  editArb,
  editArb,
  editArb,
  editArb,
  fc.tuple(appArb, disruptionArb).map(([app, d]) => new Deploy(app, d)),
  fc.tuple(appArb, disruptionArb).map(([app, d]) => new Deploy(app, d)),
  fc.tuple(appArb, disruptionArb).map(([app, d]) => new Deploy(app, d)),
  outsideArb,
  fc.array(fc.nat(9), { minLength: 1, maxLength: 3 }).map((picks) => new AcceptInvites(picks)),
  fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 85, max: 100 })).map((days) => new AdvanceClock(days)),
  fc.nat(SETTINGS.length - 1).map((i) => new SwitchSettings(i)),
];

/** The seed holds 5 seats: limits close to it reach the seat rule's edge often. */
export const seatLimitArb = fc.constantFrom<number | null>(null, 6, 7, 8, 10);
