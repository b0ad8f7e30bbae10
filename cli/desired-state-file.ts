import { readFileSync } from 'fs';
import { join, resolve } from 'path';
import { sha256 } from '../model/canonical';
import { DESIRED_STATE_VERSION, DesiredState, DesiredStateSchema } from '../model/desired-state';

/** Reads and checks a desired-state file: JSON, known schema version, valid model, and (when given) the digest Terraform planned. */
export function loadDesiredState(file: string, expectedDigest?: string): DesiredState {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`Desired-state file "${file}" not found (looked in ${process.cwd()}). Run \`cdktf synth\` first; Terraform runs this command from the stack directory.`);
  }
  if (expectedDigest && sha256(text) !== expectedDigest) {
    throw new Error(
      `Desired-state file "${file}" has digest ${sha256(text).slice(0, 12)}…, but Terraform planned ${expectedDigest.slice(0, 12)}…. ` +
        'The stack was synthesized again after the plan. Nothing was changed: run `cdktf deploy` again so plan and file match.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`Desired-state file "${file}" is not valid JSON: ${(e as Error).message}`);
  }
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  if (version !== DESIRED_STATE_VERSION) {
    throw new Error(`Desired-state file "${file}" has schemaVersion ${JSON.stringify(version)}; this executor reads version ${DESIRED_STATE_VERSION}. Use the segment-access version that synthesized it.`);
  }
  const parsed = DesiredStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Desired-state file "${file}" is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}. Synthesize it again with \`cdktf synth\`.`);
  }
  return parsed.data;
}

/** A desired-state file the last synth wrote, and the digest its stack's reconciler carries for it. */
export interface SynthesizedDesiredState {
  readonly stack: string;
  readonly file: string;
  readonly digest: string;
}

interface SynthManifest {
  readonly stacks: Record<string, { readonly workingDirectory: string; readonly synthesizedStackPath: string }>;
}

function readJson<T>(file: string, missing: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(missing);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}): run \`cdktf synth\` again.`);
  }
}

type Resource = {
  readonly triggers_replace?: { readonly digest?: unknown };
  readonly triggers?: { readonly digest?: unknown };
  readonly provisioner?: readonly { readonly 'local-exec'?: { readonly environment?: Record<string, unknown> } }[];
};

/** The reconcilers of one synthesized stack: the desired-state file each runs with, and its digest. */
function reconcilersOf(stack: string, stackDir: string, config: { resource?: Record<string, Record<string, Resource>> }): SynthesizedDesiredState[] {
  const out: SynthesizedDesiredState[] = [];
  for (const byName of Object.values(config.resource ?? {})) {
    for (const resource of Object.values(byName)) {
      const file = (resource.provisioner ?? []).map((p) => p['local-exec']?.environment?.SEGMENT_ACCESS_DESIRED_STATE).find((f) => typeof f === 'string');
      const digest = resource.triggers_replace?.digest ?? resource.triggers?.digest;
      if (typeof file === 'string' && typeof digest === 'string') out.push({ stack, file: join(stackDir, file), digest });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * The desired-state files the LAST synth wrote, for the given stacks (every stack of that synth when
 * none is named): found through the synth's manifest and each stack's reconciler in cdk.tf.json, never
 * by listing directories, so a file an earlier synth left behind is never read.
 */
export function synthesizedDesiredStates(outdir: string, stacks: readonly string[]): SynthesizedDesiredState[] {
  const manifestFile = join(outdir, 'manifest.json');
  const manifest = readJson<SynthManifest>(manifestFile, `${manifestFile} not found: run \`cdktf synth\` first (or pass --outdir).`);
  const known = Object.keys(manifest.stacks ?? {}).sort();
  const names = stacks.length ? [...stacks] : known;
  const all = names.flatMap((stack) => {
    const entry = manifest.stacks?.[stack];
    if (!entry) throw new Error(`Stack "${stack}" is not in the last synth (${manifestFile} lists ${known.join(', ') || 'no stack'}). Fix: check the name, or run \`cdktf synth\`.`);
    const configFile = join(outdir, entry.synthesizedStackPath);
    const config = readJson<{ resource?: Record<string, Record<string, Resource>> }>(configFile, `${configFile} not found: run \`cdktf synth\` again.`);
    const found = reconcilersOf(stack, join(outdir, entry.workingDirectory), config);
    if (stacks.length && found.length === 0) throw new Error(`Stack "${stack}" has no segment-access workspace in the last synth (${configFile}).`);
    return found;
  });
  if (all.length === 0) throw new Error(`The last synth (${manifestFile}) has no segment-access workspace in any stack.`);
  return all;
}

/** Loads a desired-state file of the last synth, refusing one that is not what that synth wrote. */
export function loadSynthesizedDesiredState(synthesized: SynthesizedDesiredState): DesiredState {
  let text: string;
  try {
    text = readFileSync(synthesized.file, 'utf8');
  } catch {
    throw new Error(`Desired-state file "${synthesized.file}" of stack "${synthesized.stack}" not found, though the last synth names it: run \`cdktf synth\` again.`);
  }
  if (sha256(text) !== synthesized.digest) {
    throw new Error(
      `Desired-state file "${synthesized.file}" is not the one the last synth of stack "${synthesized.stack}" wrote (digest ${sha256(text).slice(0, 12)}…, cdk.tf.json has ${synthesized.digest.slice(0, 12)}…): ` +
        'it was edited or copied in since. Run `cdktf synth` again.',
    );
  }
  return loadDesiredState(synthesized.file);
}

/**
 * The desired state a command acts on: a file named directly (--desired-state, or
 * SEGMENT_ACCESS_DESIRED_STATE, as the reconciler's provisioner sets it), or the one workspace of a
 * stack of the last synth (--stack).
 */
export function chosenDesiredState(file: string | undefined, stack: string | undefined, outdir = 'cdktf.out', expectedDigest?: string): DesiredState {
  // A digest Terraform planned must match as well ("synthesized again after the plan").
  return loadDesiredState(singleDesiredStateFile(file, stack, outdir), expectedDigest);
}

/**
 * The desired-state files of the last synth, for the given stacks (all when none is named), each checked
 * against the digest its stack's reconciler carries. For commands that load files themselves.
 */
export function desiredStateFiles(outdir: string, stacks: string[]): string[] {
  return synthesizedDesiredStates(outdir, stacks).map((s) => {
    loadSynthesizedDesiredState(s);
    return s.file;
  });
}

/** One desired-state file: named directly, through SEGMENT_ACCESS_DESIRED_STATE, or the one of a stack of the last synth. */
export function singleDesiredStateFile(file: string | undefined, stack: string | undefined, outdir = 'cdktf.out'): string {
  if (file) return file;
  if (stack) {
    const files = desiredStateFiles(resolve(outdir), [stack]);
    if (files.length !== 1) throw new Error(`Stack "${stack}" has ${files.length} desired-state files (${files.join(', ')}); pass --desired-state to choose one.`);
    return files[0];
  }
  const fromEnv = process.env.SEGMENT_ACCESS_DESIRED_STATE;
  if (fromEnv) return fromEnv;
  throw new Error('No desired-state file: pass --stack NAME (after `cdktf synth`), --desired-state FILE, or set SEGMENT_ACCESS_DESIRED_STATE.');
}
