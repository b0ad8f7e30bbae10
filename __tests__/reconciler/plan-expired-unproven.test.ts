import { readFileSync } from 'fs';
import { join } from 'path';
import { blockingRefusals, planReconcile } from '../../reconciler/plan';
import { describeRefusal, renderPlanTable } from '../../reconciler/render';
import type { LiveState } from '../../reconciler/live-state';
import type { LiveUser } from '../../reconciler/segment-port';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { live as liveState, recordGroup, user } from '../support/live';

// An expired grant whose person is still in Segment, though no record proves this app gave the access
// (the model-based lifecycle test's seed 30004: a run killed after sending an invite and before recording
// it, the invite accepted, a quarter without deploys, then the grant expired). The app may not remove a
// person it cannot prove it manages, and must not leave the access behind without a word: it refuses the
// removal by name, on every run, and the refusal blocks (the deploy exits 3) until a person decides.

const NOW = { now: new Date('2026-11-27T12:00:00Z') };
const READER = onWorkspace('Minimal Workspace Access', 'Source Read-only');
const CY = 'cy@agency.example';
const expiredCy = desiredCollaborator(CY, READER, { expiresOn: '2026-11-27' });
const members = 'segment-access:default:members';

function live(parts: { users?: LiveUser[]; invites?: string[]; own?: string[]; others?: { name: string; emails: string[] }[] }): LiveState {
  return liveState({
    users: parts.users,
    invites: parts.invites,
    own: parts.own ? [recordGroup(members, parts.own, { id: 'g_members' })] : [],
    others: (parts.others ?? []).map((o, i) => recordGroup(o.name, o.emails, { id: `g_other${i}` })),
  });
}

describe('an expired grant the app cannot prove it gave', () => {
  test('a member: not removed, refused by name with the expiry day, blocking, and in the plan table', () => {
    const plan = planReconcile(desiredState([expiredCy]), live({ users: [user(CY, 'Minimal Workspace Access', 'Source Read-only'), user('boss@acme.example', 'Workspace Owner')] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'expired-unproven', email: CY, expiresOn: '2026-11-27' }]);
    expect(blockingRefusals(plan)).toEqual(plan.refusals);
    const text = describeRefusal(plan.refusals[0]);
    expect(text).toBe(
      'cy@agency.example: not removed, its grant expired on 2026-11-27 but no record proves this app gave the access it holds (e.g. an interrupted run older than the audit trail); remove it in Segment by hand, or extend the grant, then delete the entry once the access is gone',
    );
    expect(renderPlanTable(plan)).toContain(`x refused  ${text}`);
    // The repair table in docs/record-of-managed-users.md quotes it as the tool says it.
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'record-of-managed-users.md'), 'utf8');
    expect(doc).toContain(`\`x refused  ${text.replace(CY, 'cy@...').split(' (e.g.')[0]}\``);
  });

  test('a pending invite: refused the same way', () => {
    const plan = planReconcile(desiredState([expiredCy]), live({ invites: [CY] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'expired-unproven', email: CY, expiresOn: '2026-11-27' }]);
  });

  test('a grant expired at synth (in the desired state\'s expired list) is refused the same way', () => {
    const desired = desiredState([]);
    const plan = planReconcile({ ...desired, expired: [{ email: CY, expiresOn: '2026-11-20', path: 'prod/Workspace/Cy' }] }, live({ users: [user(CY, 'Minimal Workspace Access')] }), NOW);
    expect(plan.refusals).toEqual([{ kind: 'expired-unproven', email: CY, expiresOn: '2026-11-20' }]);
  });

  test('managed (recorded): removed as expired, no refusal', () => {
    const plan = planReconcile(desiredState([expiredCy]), live({ users: [user(CY, 'Minimal Workspace Access')], own: [CY] }), NOW);
    expect(plan.changes).toEqual([{ kind: 'remove-user', email: CY, userId: 'u_cy', reason: 'expired' }]);
    expect(plan.refusals).toEqual([]);
  });

  test('gone from Segment: nothing to refuse', () => {
    expect(planReconcile(desiredState([expiredCy]), live({ users: [user('boss@acme.example', 'Workspace Owner')] }), NOW).refusals).toEqual([]);
  });

  test('a day before it expires: declared, kept and adopted, no refusal', () => {
    const plan = planReconcile(desiredState([expiredCy]), live({ users: [user(CY, 'Minimal Workspace Access', 'Source Read-only')] }), { now: new Date('2026-11-26T23:59:59Z') });
    expect(plan.refusals).toEqual([]);
    expect(plan.changes).toEqual([]);
    expect(plan.adopted).toBe(1);
  });

  test('retained by the workspace configuration: kept without a refusal (retention is the platform team\'s decision)', () => {
    const desired = desiredState([expiredCy], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: false, retain: [CY] } });
    expect(planReconcile(desired, live({ users: [user(CY, 'Minimal Workspace Access')] }), NOW).refusals).toEqual([]);
  });

  test('recorded by another app: that app\'s person, not refused here', () => {
    const plan = planReconcile(desiredState([expiredCy]), live({ users: [user(CY, 'Minimal Workspace Access')], others: [{ name: 'segment-access:billing:members', emails: [CY] }] }), NOW);
    expect(plan.refusals).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  test('authoritative workspace: removed as not declared, not refused', () => {
    const desired = desiredState([expiredCy], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: true, retain: [] } });
    const plan = planReconcile(desired, live({ users: [user(CY, 'Minimal Workspace Access'), user('boss@acme.example', 'Workspace Owner'), user('owner2@acme.example', 'Workspace Owner')] }), NOW);
    expect(plan.changes).toContainEqual({ kind: 'remove-user', email: CY, userId: 'u_cy', reason: 'not declared (authoritative workspace)' });
    expect(plan.refusals.filter((r) => r.email === CY)).toEqual([]);
  });

  test('at the seat limit, the seat refusal names it as not freed', () => {
    const newcomer = desiredCollaborator('new@agency.example', READER);
    expect(() => planReconcile(desiredState([expiredCy, newcomer], {}, 2), live({ users: [user(CY, 'Minimal Workspace Access'), user('boss@acme.example', 'Workspace Owner')] }), NOW)).toThrow(
      /Not freed, because this run refuses to remove them: cy@agency\.example \(expired-unproven\)/,
    );
  });
});
