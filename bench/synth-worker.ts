// One synth measurement in a fresh process: `node dist/bench/synth-worker.js <ours|yaml|raw> <grantsPerEnv> <outdir> [requests file]`.
// Prints one JSON line: { ms, maxRssMb, resources }. `ms` covers construction + app.synth(), not node or module start;
// for "yaml" it also covers reading, parsing and validating the requests file (written by the parent beforehand).
import type { Construct } from 'constructs';
import { App, TerraformResource, TerraformStack } from '../framework';
import { NullProvider } from '../constructs/null-provider';
import { readFileSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { benchDefinition, benchWorkspaces, buildApp, emailOf, ENVIRONMENTS, presetOf } from './definitions';
import { loadAccessRequests } from '../requests/load';

export interface SynthSample {
  readonly ms: number;
  readonly maxRssMb: number;
  /** Grants in the synthesized prod stack (sanity check): ours, entries of the reconciler; raw, null_resources. */
  readonly grants: number;
}

function rawTriggers(n: number, environment: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      email: emailOf(i),
      kind: 'SERVICE_ACCOUNT',
      workspace: `Bench ${environment} (ws-${environment})`,
      role: presetOf(i),
      permissions: 'Minimal Workspace Access on the workspace; Source Read-only on web (src01); Tracking Plan Read-only on the workspace',
      destinations: 'none',
      expires: 'never',
    });
  }
  return out;
}

/** The per-user pattern's resource: a `null_resource` with its triggers (what `@cdktf/provider-null` would synthesize). */
class RawNullResource extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly triggers: Record<string, string>) {
    super(scope, id, { terraformResourceType: 'null_resource', terraformGeneratorMetadata: { providerName: 'null' } });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { triggers: this.triggers };
  }
}

function countGrants(outdir: string, stack: string): number {
  const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
    resource?: { null_resource?: Record<string, unknown>; terraform_data?: { workspace_reconciler?: { triggers_replace?: { collaborators?: Record<string, unknown> } } } };
  };
  const reconciler = tf.resource?.terraform_data?.workspace_reconciler;
  return reconciler ? Object.keys(reconciler.triggers_replace?.collaborators ?? {}).length : Object.keys(tf.resource?.null_resource ?? {}).length;
}

function main(): void {
  const [kind, nArg, outdir, requestsFile] = process.argv.slice(2);
  const n = Number(nArg);
  if ((kind !== 'ours' && kind !== 'raw' && kind !== 'yaml') || !Number.isInteger(n) || n < 0 || !outdir || (kind === 'yaml' && !requestsFile)) {
    throw new Error('usage: synth-worker <ours|yaml|raw> <grantsPerEnv> <outdir> [requests file, for yaml]');
  }
  let ms: number;
  if (kind === 'yaml') {
    // As main.ts: the workspaces are code, the collaborators come from access.yaml (safe YAML + zod).
    const workspaces = benchWorkspaces(n);
    const t0 = performance.now();
    const { app } = buildApp({ workspaces, ...loadAccessRequests(requestsFile) }, outdir);
    app.synth();
    ms = performance.now() - t0;
  } else if (kind === 'ours') {
    const definition = benchDefinition(n); // input data, built before the clock starts
    const t0 = performance.now();
    const { app } = buildApp(definition, outdir);
    app.synth();
    ms = performance.now() - t0;
  } else {
    const data = ENVIRONMENTS.map((e) => rawTriggers(n, e));
    const t0 = performance.now();
    const app = new App({ outdir });
    ENVIRONMENTS.forEach((environment, k) => {
      const stack = new TerraformStack(app, environment);
      new NullProvider(stack, 'null');
      data[k].forEach((triggers, i) => new RawNullResource(stack, `Grant${i}`, triggers));
    });
    app.synth();
    ms = performance.now() - t0;
  }
  const sample: SynthSample = {
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    grants: countGrants(outdir, ENVIRONMENTS[0]),
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

main();
