import { E2E_WS } from '../e2e';
import { AppName, appOf, declaredNow, LifecycleModel, Person, ws } from './model';
import { DeployOutcome, LifecycleWorld, secretPieceIn } from './world';

// The invariants of docs/model-based-testing.md. Each throws an Error naming the rule and what broke
// it; fast-check then shrinks the sequence and prints it.

export class InvariantBroken extends Error {
  constructor(rule: string, detail: unknown) {
    super(`${rule}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
    this.name = 'InvariantBroken';
  }
}

/** Checked after every command. */
export function checkAlways(model: LifecycleModel, world: LifecycleWorld): void {
  const people = world.people();
  // Nobody unmanaged is removed or changed (they change only when someone else changes them).
  for (const [email, expected] of model.unmanaged) {
    const actual = people.get(email);
    if (!actual || !same(actual, expected)) throw new InvariantBroken('an unmanaged person was removed or changed', { email, expected, actual: actual ?? 'gone' });
  }
  // Nobody holds more than the requests (every version a deploy set out to give) and someone else's grants allow.
  for (const [email, person] of people) {
    if (model.unmanaged.has(email)) continue;
    const app = appOf(email);
    if (!app) throw new InvariantBroken('someone nobody invited is in the workspace', person);
    const allowed = new Set([...(model.apps[app].granted.get(email) ?? []), ...(model.outsideGrants.get(email) ?? [])]);
    // Segment may add Minimal Workspace Access when an invite is accepted (setting acceptedInviteAccess).
    if (!person.pending) allowed.add(ws('Minimal Workspace Access'));
    const extra = person.access.filter((a) => !allowed.has(a));
    if (extra.length > 0) throw new InvariantBroken('someone holds more than the requests allow', { email, extra, allowed: [...allowed].sort() });
  }
  // There is always a Workspace Owner (a member, not an invite).
  if (![...people.values()].some((p) => !p.pending && p.access.includes(ws('Workspace Owner')))) throw new InvariantBroken('no Workspace Owner is left', [...people.keys()]);
  // No secret in any output, nor in anything the workspace shows.
  const shown = [...world.outputs, ...world.groups().map((g) => g.name), ...world.emulator.state.listAuditEvents(E2E_WS).map((e) => JSON.stringify(e))];
  for (const text of shown) {
    const piece = secretPieceIn(text);
    if (piece) throw new InvariantBroken('a secret appears in an output', { piece, text: text.slice(0, 300) });
  }
}

/** Checked around every deploy of `app`: it touched nobody it never declared, and kept the seats within the limit. */
export function checkDeploy(model: LifecycleModel, app: AppName, before: Map<string, Person>, beforeGroups: string[], seatsBefore: number, outcome: DeployOutcome, world: LifecycleWorld): void {
  const after = world.people();
  const mine = model.apps[app].deployed;
  for (const email of new Set([...before.keys(), ...after.keys()])) {
    if (mine.has(email)) continue;
    const was = before.get(email);
    const is = after.get(email);
    if (!was || !is || !same(was, is)) throw new InvariantBroken(`the ${app} app changed someone it never declared`, { email, before: was ?? 'absent', after: is ?? 'absent' });
  }
  const otherGroups = world.groups().filter((g) => !g.name.startsWith('segment-access:')).map(groupKey).sort();
  if (JSON.stringify(otherGroups) !== JSON.stringify(beforeGroups)) throw new InvariantBroken(`the ${app} app changed a user group it does not own`, { before: beforeGroups, after: otherGroups });
  if (model.seatLimit !== null && outcome.peakSeats > Math.max(model.seatLimit, seatsBefore)) {
    throw new InvariantBroken('seats exceeded the limit during a deploy', { limit: model.seatLimit, seatsBefore, peak: outcome.peakSeats });
  }
}

/**
 * After a deploy that ended well: the app's people are exactly as the model says, and no intent is left
 * unless the plan reports it (a killed run's intent older than the audit trail is damage the operator deletes).
 */
export function checkConverged(model: LifecycleModel, app: AppName, world: LifecycleWorld, reported: readonly string[]): void {
  const people = world.people();
  const declared = declaredNow(model, app);
  for (const email of model.apps[app].deployed) {
    const expected = declared.get(email);
    const actual = people.get(email);
    if (expected === undefined && actual !== undefined && !model.apps[app].released.has(email)) throw new InvariantBroken(`after a clean deploy of ${app}, someone no longer declared still has access`, actual);
    if (expected !== undefined && (actual === undefined || JSON.stringify(actual.access) !== JSON.stringify(expected))) {
      throw new InvariantBroken(`after a clean deploy of ${app}, the workspace differs from the model`, { email, expected, actual: actual ?? 'absent' });
    }
  }
  const intents = world.groups().filter((g) => g.name.startsWith(`segment-access:${app}:intent:`) && !reported.includes(g.name));
  if (intents.length > 0) throw new InvariantBroken(`after a clean deploy of ${app}, an intent record is left and the plan does not report it`, intents.map((g) => g.name));
}

export function groupKey(g: { name: string; permissions: readonly unknown[]; memberEmails: readonly string[] }): string {
  return JSON.stringify([g.name, g.permissions, [...g.memberEmails].map((e) => e.toLowerCase()).sort()]);
}

function same(a: Person, b: Person): boolean {
  return a.pending === b.pending && JSON.stringify(a.access) === JSON.stringify(b.access);
}
