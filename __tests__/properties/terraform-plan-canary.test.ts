import { test } from '@fast-check/jest';
import { App } from '../../framework';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Environment } from '../../model/enums';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import type { AccessDefinition } from '../../stacks/access-definition';
import { terraform } from '../support/terraform';
import { fc, numRuns } from './fast-check-config';
import { definitionFrom, hostileSlots, SLOT_DEFAULTS, SLOTS, Slots, SYNTH_NOW } from './support/hostile-definition';

// The leak the issue found: a definition string such as ${file("/proc/self/environ")} reaching
// cdk.tf.json unescaped is evaluated by `terraform plan`, which then prints the environment, tokens
// included. Here the REAL terraform binary plans such stacks with canary tokens in its environment.

const CANARY = 'sgpCanaryToken0123456789abcdefXYZ';
const CANARY_ENV = { PATH: process.env.PATH, HOME: process.env.HOME, SEGMENT_PROD_TOKEN: CANARY, PUBLIC_API_TOKEN: CANARY, EXTRA_SECRET: `${CANARY}-extra` };
const PAYLOAD = '${file("/proc/self/environ")}';

/** Synthesizes the prod stack into a fresh directory (kept for terraform); undefined when synth refuses. */
function synthForPlan(definition: AccessDefinition): string | undefined {
  const outdir = mkdtempSync(join(tmpdir(), 'sa-canary-'));
  try {
    const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: SYNTH_NOW } });
    new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
    app.synth();
    return outdir;
  } catch {
    rmSync(outdir, { recursive: true, force: true });
    return undefined;
  }
}

async function planOutput(outdir: string): Promise<string> {
  const cwd = join(outdir, 'stacks', 'prod');
  const init = await terraform(['init', '-input=false', '-no-color'], { cwd, env: CANARY_ENV });
  expect(init.code).toBe(0);
  const plan = await terraform(['plan', '-input=false', '-no-color'], { cwd, env: CANARY_ENV });
  expect(plan.output).toContain('Plan: 2 to add');
  expect(plan.code).toBe(0);
  return plan.output;
}

function expectNoCanary(output: string): void {
  for (let i = 0; i + 8 <= CANARY.length; i++) expect(output.includes(CANARY.slice(i, i + 8)) ? `"${CANARY.slice(i, i + 8)}" printed` : 'clean').toBe('clean');
}

test('${file("/proc/self/environ")} in every string field that synth accepts: terraform plan prints it as text, never the token', async () => {
  // Each field gets the payload if synth accepts it there; the ones that refuse it (ids, emails, dates) are
  // refused at synth, which the hostile-definition properties check.
  const accepted = SLOTS.filter((slot) => {
    const dir = synthForPlan(definitionFrom({ ...SLOT_DEFAULTS, [slot]: `${PAYLOAD} ${slot}` }));
    if (dir) rmSync(dir, { recursive: true, force: true });
    return dir !== undefined;
  });
  expect(accepted.length).toBeGreaterThanOrEqual(15);
  const slots: Slots = { ...SLOT_DEFAULTS };
  for (const slot of accepted) slots[slot] = `${PAYLOAD} ${slot}`;
  const outdir = synthForPlan(definitionFrom(slots));
  expect(outdir).toBeDefined();
  try {
    const output = await planOutput(outdir!);
    expectNoCanary(output);
    // Shown as the literal the contributor wrote (terraform quotes the inner quotes), in keys and values.
    const shown = (slot: string) => `${PAYLOAD.replace(/"/g, '\\"')} ${slot}`;
    for (const slot of ['workspace.displayName', 'grant.ticket', 'grant.destinationName', 'source.name', 'group.groupName']) expect(output).toContain(shown(slot));
  } finally {
    rmSync(outdir!, { recursive: true, force: true });
  }
}, 120_000);

// Real terraform per run (about a second each): a few runs in CI, FC_NUM_RUNS for more.
test.prop([hostileSlots], { numRuns: numRuns(4) })('no hostile definition makes terraform plan print a token', async ({ slots }) => {
  const outdir = synthForPlan(definitionFrom(slots));
  fc.pre(outdir !== undefined); // refused at synth: nothing reaches Terraform
  try {
    expectNoCanary(await planOutput(outdir!));
  } finally {
    rmSync(outdir!, { recursive: true, force: true });
  }
}, 120_000);
