import { e2eSeed, OWNER, UNMANAGED } from '../support/e2e';
import { StopAfterWrites, StoppedError } from '../support/crash-harness';
import { fc, numRuns } from './fast-check-config';
import { collaboratorWith, e2eDesired, E2E_WS, EmulatorWorld, SetName } from './support/emulator-world';

// Where folding dated invite records into `members` meets a run killed after any write: invites sent
// on two days (two dated records, two permission sets), some accepted, then a run that folds (it
// records a newcomer's invite, or only tidies up) and removes the people the code dropped is stopped
// after its k-th write. At that moment everyone the record held before is still recorded or has no
// access left (the record grows before it shrinks); the next deploy removes exactly the dropped people,
// leaves everyone else as declared, records exactly the declared people, and a deploy after it writes
// nothing.

const PEOPLE = ['f0@agency.example', 'f1@agency.example', 'f2@agency.example', 'f3@agency.example', 'f4@agency.example'];
const NEWCOMER = 'newcomer@agency.example';
const perPerson = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: PEOPLE.length, maxLength: PEOPLE.length });
const scenarioArb = fc.record({
  /** 0: not declared; 1: invited on the first day; 2: on the second. */
  wave: perPerson(fc.constantFrom(0, 1, 1, 2)),
  set: perPerson(fc.constantFrom<SetName>('READER', 'SOURCE_ADMIN')),
  accepts: perPerson(fc.boolean()),
  newcomer: fc.boolean(),
  dropped: perPerson(fc.boolean()),
  killAt: fc.nat(),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

let world: EmulatorWorld;
beforeAll(async () => {
  world = await EmulatorWorld.start(e2eSeed());
});
afterAll(() => world.stop());

function declared(s: Scenario, upToWave: number, options: { newcomer?: boolean; dropping?: boolean } = {}) {
  return e2eDesired([
    ...PEOPLE.flatMap((email, i) => (s.wave[i] > 0 && s.wave[i] <= upToWave && !(options.dropping && s.dropped[i]) ? [collaboratorWith(email, s.set[i])] : [])),
    ...(options.newcomer ? [collaboratorWith(NEWCOMER, 'READER')] : []),
  ]);
}

/** Everyone this app's record holds (members and dated invite records), users and pending invites alike. */
function recorded(): Set<string> {
  const out = new Set<string>();
  for (const g of world.state.listGroups(E2E_WS)) {
    if (!/^segment-access:default:(members|invited):/.test(g.name)) continue;
    const { users, invites } = world.state.groupMembers(E2E_WS, g.id);
    for (const u of users) out.add(u.email.toLowerCase());
    for (const i of invites) out.add(i.email.toLowerCase());
  }
  return out;
}

function present(): Map<string, 'member' | 'invited'> {
  return new Map([
    ...world.state.listInvites(E2E_WS).map((i) => [i.email.toLowerCase(), 'invited'] as const),
    ...world.state.listUsers(E2E_WS).map((u) => [u.email.toLowerCase(), 'member'] as const),
  ]);
}

test('a folding run killed after any write leaves a record that still holds everyone, and the next deploy removes exactly whom the code dropped', async () => {
  let folds = 0;
  let kills = 0;
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (s) => {
      world.reset();
      await world.deploy(declared(s, 1));
      world.advanceDays(1);
      await world.deploy(declared(s, 2));
      const pending = new Set(world.state.listInvites(E2E_WS).map((i) => i.email));
      const accepting = PEOPLE.filter((e, i) => s.accepts[i] && pending.has(e));
      if (accepting.length) world.state.acceptInvites(E2E_WS, accepting);
      world.advanceDays(1);

      // The folding run, first uninterrupted on a copy (to count its writes), then stopped after write k.
      const folding = declared(s, 2, { newcomer: s.newcomer, dropping: true });
      const snapshot = world.state.dump();
      const counter = new StopAfterWrites(world.client(), Infinity);
      await world.deploy(folding, counter);
      const datedBefore = snapshot.workspaces[0].groups.filter((g) => g.name.includes(':invited:')).length;
      if (world.state.listGroups(E2E_WS).filter((g) => g.name.includes(':invited:')).length < datedBefore) folds++;
      world.state.restore(snapshot);
      const before = recorded();
      if (counter.writes > 0) {
        const k = 1 + (s.killAt % counter.writes);
        await expect(world.deploy(folding, new StopAfterWrites(world.client(), k))).rejects.toThrow(StoppedError);
        kills++;
        const after = recorded();
        const access = present();
        expect({ k, lost: [...before].filter((e) => !after.has(e) && access.has(e)) }).toEqual({ k, lost: [] });
      }

      // The next deploy finishes the job.
      const recovery = folding;
      await world.deploy(recovery);
      const wanted = new Set(recovery.collaborators.map((c) => c.email));
      const live = present();
      for (const email of [...PEOPLE, NEWCOMER]) expect({ email, present: live.has(email) }).toEqual({ email, present: wanted.has(email) });
      expect(live.get(OWNER)).toBe('member');
      expect(live.get(UNMANAGED)).toBe('member');
      expect([...recorded()].sort()).toEqual([...wanted].sort());
      const writes = world.writes();
      await world.deploy(recovery);
      expect(world.writes()).toBe(writes);
    }),
    { numRuns: numRuns(25) },
  );
  if (numRuns(25) >= 25) {
    expect(folds).toBeGreaterThan(3);
    expect(kills).toBeGreaterThan(10);
  }
});
