import { App, TerraformStack, Testing } from '../../framework';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Environment } from '../../model/enums';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import type { AccessDefinition } from '../../stacks/access-definition';

/** The date every synth in the tests is pinned to, so expiry decisions are reproducible. */
export const TEST_NOW = '2026-11-27T12:00:00Z';

export const ENVIRONMENTS = [Environment.PROD, Environment.STAGING, Environment.DEV];

/** Synthesizes a whole app (all three environments) into a fresh temp directory, like `cdktf synth`. */
export function synthApp(definition: AccessDefinition, now = TEST_NOW, outdir = mkdtempSync(join(tmpdir(), 'sa-synth-'))): string {
  const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: now } });
  for (const environment of ENVIRONMENTS) new SegmentAccessStack(app, environment, { definition, environment });
  app.synth();
  return outdir;
}

export function readStackJson(outdir: string, stack: string): any {
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

export function readDesiredState(outdir: string, stack: string, workspaceId: string): any {
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, `segment-access.${workspaceId}.json`), 'utf8'));
}

/** A bare test stack with "now" pinned. */
export function testStack(id = 'test'): TerraformStack {
  const app = Testing.app({ context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
  return new TerraformStack(app, id);
}
