import { appendFileSync } from 'fs';
import fc from 'fast-check';
import { OWNER } from '../support/e2e';
import { commandArbs, coverage, seatLimitArb } from '../support/lifecycle-model/commands';
import { newModel } from '../support/lifecycle-model/model';
import { LifecycleWorld } from '../support/lifecycle-model/world';

// The model-based test of the whole lifecycle (docs/model-based-testing.md): random sequences of request
// edits, deploys (killed, rate-limited, failing, losing responses), edits by someone else, accepted
// invites, time passing, Segment changing an undocumented behaviour and a second app deploying, against
// the in-process emulator; the model's invariants are checked after every command. CI runs a fixed seed;
// FC_NUM_RUNS, FC_SEED, FC_PATH (and FC_REPLAY_PATH for the commands) search longer or replay a failure.

const numRuns = Number(process.env.FC_NUM_RUNS ?? 100);
const seed = Number(process.env.FC_SEED ?? 20261206);
const path = process.env.FC_PATH;
const replayPath = process.env.FC_REPLAY_PATH;
const maxCommands = Number(process.env.FC_MAX_COMMANDS ?? 30);

test(`the lifecycle keeps every invariant over ${numRuns} random sequences (seed ${seed})`, async () => {
  await fc.assert(
    fc.asyncProperty(seatLimitArb, fc.commands(commandArbs, { maxCommands, size: '+1', ...(replayPath ? { replayPath } : {}) }), async (seatLimit, commands) => {
      const world = await LifecycleWorld.start();
      try {
        const unmanaged = world.people();
        if (!unmanaged.get(OWNER)) throw new Error('the seed has no owner');
        await fc.asyncModelRun(() => ({ model: newModel(world.nowMs, seatLimit, unmanaged), real: world }), commands);
      } finally {
        await world.stop();
        // A long search's progress, one character per sequence tried (shrinking included).
        if (process.env.FC_PROGRESS_FILE) appendFileSync(process.env.FC_PROGRESS_FILE, '.');
      }
    }),
    { numRuns, seed, ...(path ? { path, endOnFailure: true } : {}) },
  );
  if (process.env.FC_STATS) console.log([...coverage].sort().map(([k, v]) => `${k}: ${v}`).join('\n'));
}, 60_000 + numRuns * 5_000);
