// Where two safety rules meet: the seat count is taken after the last-owner refusal, so a removal the
// plan refuses frees no seat. Written for the hand-written mutant reconciler-seats-before-last-owner
// (scripts/hand-mutants.js): counting seats from the changes before the refusal passed every test,
// and the plan then reported a seat count the apply exceeded.
import { planReconcile, PlanError } from '../../reconciler/plan';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { live, recordGroup, user } from '../support/live';

const NOW = { now: new Date('2026-11-27T12:00:00Z') };
const READER = onWorkspace('Minimal Workspace Access', 'Source Read-only');
const MEMBERS = 'segment-access:default:members';

/** The last owner, recorded as managed and no longer declared; one newcomer declared. */
const world = () => live({ users: [user('boss@acme.example', 'Workspace Owner')], own: [recordGroup(MEMBERS, ['boss@acme.example'])] });

describe('seats are counted after the last-owner refusal', () => {
  test('a refused removal frees no seat: the plan counts the owner who stays', () => {
    const plan = planReconcile(desiredState([desiredCollaborator('new@agency.example', READER)]), world(), NOW);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'boss@acme.example', refused: 'removal' }]);
    expect(plan.changes.map((c) => c.kind)).toEqual(['invite']);
    expect(plan.seats).toEqual({ before: 1, after: 2, limit: null });
  });

  test('so an invite that fits only if the owner left is refused by the seat limit, before any write', () => {
    const desired = desiredState([desiredCollaborator('new@agency.example', READER)], {}, 1);
    expect(() => planReconcile(desired, world(), NOW)).toThrow(PlanError);
    expect(() => planReconcile(desired, world(), NOW)).toThrow(/1 seats in use, 1 to invite, 0 to free = 2, above the limit of 1/);
  });

  test('an accepted removal does free its seat (the count is not simply before + invites)', () => {
    const w = live({
      users: [user('boss@acme.example', 'Workspace Owner'), user('old@agency.example', 'Minimal Workspace Access')],
      own: [recordGroup(MEMBERS, ['boss@acme.example', 'old@agency.example'])],
    });
    const plan = planReconcile(desiredState([desiredCollaborator('boss@acme.example', onWorkspace('Workspace Owner')), desiredCollaborator('new@agency.example', READER)], {}, 2), w, NOW);
    expect(plan.seats).toEqual({ before: 2, after: 2, limit: 2 });
  });
});
