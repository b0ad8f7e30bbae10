import { E2E_WS } from '../support/e2e';
import { collaboratorAccess } from '../support/e2e-definitions';
import { analystsGrant, ANALYSTS, BehaviourWorld, danaAccess, declaredAccessOf, desiredOf, erinAccess } from '../support/behaviour-world';
import { EmulatorProfile } from '../../emulator';
import type { DesiredState } from '../../model/desired-state';
import { WorkspaceRole } from '../../model/enums';

// A write Segment applies whose response is lost (the fault injector answers 502 after applying it),
// on each write endpoint a deploy uses, under the default profile, the one that allows two groups with
// one name (422 for existing invitees, emails kept as given) and the one that refuses them with 422.

const WRITE_ROUTES = [
  'POST /groups',
  'POST /invites',
  'DELETE /invites',
  'DELETE /users',
  'DELETE /groups/{userGroupId}',
  'PUT /users/{userId}/permissions',
  'PUT /groups/{userGroupId}/permissions',
  'POST /groups/{userGroupId}/users',
  'DELETE /group/{userGroupId}/users',
] as const;

const PROFILES = [EmulatorProfile.DEFAULTS, EmulatorProfile.CASE_PRESERVING, EmulatorProfile.IN_APP_TRAIL] as const;

const first = () => desiredOf([collaboratorAccess('Alex'), collaboratorAccess('Bea'), danaAccess(), erinAccess()], {}, [analystsGrant()]);
/** Alex changes role, Bea and Erin go, Dana's pending invite is cancelled; the group grant ends. */
const second = () => desiredOf([collaboratorAccess('Alex', WorkspaceRole.READ_ONLY)]);

describe.each(PROFILES)('a lost response on each write endpoint (%s profile)', (profile) => {
  test.each(WRITE_ROUTES)('%s: the client re-reads before repeating (one round); no duplicate group or invite; the next run writes nothing', async (route) => {
    const world = await BehaviourWorld.start(profile);
    try {
      const marketingAccess = world.people().get('marketing.lead@acme.example')!.access;
      let lost = 0;
      /** Loses the response of the next successful write to `route` during `run`; counts whether it did. */
      const losingOne = async (run: () => Promise<{ result: { rounds: number } }>) => {
        world.emulator.setFaults({ lostResponses: { count: 1, routes: [route] } });
        const { result } = await run();
        lost += 1 - (await lostResponsesRemaining(world));
        // The client absorbed it (re-read, then repeated only what was left): no re-plan was needed.
        expect(result.rounds).toBe(1);
      };

      await losingOne(() => world.deploy(first()));
      expectGroupsUnique(world);
      expect(world.groups().find((g) => g.name === ANALYSTS)!.permissions).not.toEqual([]);
      world.emulator.acceptInvites(E2E_WS, ['alex@agency.example', 'bea@agency.example']);
      // Someone else puts the marketing lead into the record: the next deploy takes that entry out.
      const members = world.groups().find((g) => g.name.startsWith('segment-access:default:members'))!;
      const marketing = world.people().get('marketing.lead@acme.example')!.email;
      world.emulator.state.addGroupMembers(E2E_WS, members.id, [marketing], { actor: 'ops@acme.example', actorEmail: 'ops@acme.example' });
      await losingOne(() => world.deploy(first()));
      expect(recorded(world)).toEqual(['alex@agency.example', 'bea@agency.example', 'dana.lee@agency.example', 'erin.moss@agency.example']);
      await losingOne(() => world.deploy(second()));

      expect(lost).toBeGreaterThanOrEqual(1);
      expectGroupsUnique(world);
      expectEquals(world, second(), marketingAccess);
      expect(world.groups().find((g) => g.name === ANALYSTS)!.permissions).toEqual([]);
      expect(recorded(world)).toEqual(['alex@agency.example']);
      expect((await world.deploy(second())).writes).toBe(0);
    } finally {
      await world.stop();
    }
  });
});

/** Everyone in the app's record groups. */
function recorded(world: BehaviourWorld): string[] {
  return [...new Set(world.groups().filter((g) => g.name.startsWith('segment-access:default:')).flatMap((g) => g.memberEmails.map((e) => e.toLowerCase())))].sort();
}

function expectGroupsUnique(world: BehaviourWorld): void {
  const names = world.groups().map((g) => g.name);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  expect(names.filter((n) => n.includes(':intent:'))).toEqual([]);
}

/** Declared people hold exactly their access; the unmanaged ones are as seeded. */
function expectEquals(world: BehaviourWorld, desired: DesiredState, marketingAccess: string[]): void {
  const people = world.people();
  for (const c of desired.collaborators) expect({ email: c.email, access: people.get(c.email)?.access }).toEqual({ email: c.email, access: declaredAccessOf(c) });
  expect([...people.keys()].sort()).toEqual(['alex@agency.example', 'it-admin@acme.example', 'marketing.lead@acme.example', 'zoe.ray@acme.example']);
  expect(people.get('marketing.lead@acme.example')!.access).toEqual(marketingAccess);
}

async function lostResponsesRemaining(world: BehaviourWorld): Promise<number> {
  const reply = (await (await fetch(`${world.emulator.url}/__emulator/faults`)).json()) as { data: { faults: { lostResponsesRemaining: number } } };
  return reply.data.faults.lostResponsesRemaining;
}
