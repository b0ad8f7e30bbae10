import { existsSync, readdirSync, readFileSync } from 'fs';
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

/** The desired-state files `cdktf synth` wrote, for the given stacks (all stacks when none named). */
export function desiredStateFiles(outdir: string, stacks: string[]): string[] {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) throw new Error(`${stacksDir} not found: run \`cdktf synth\` first (or pass --outdir).`);
  const names = stacks.length ? stacks : readdirSync(stacksDir).sort();
  return names.flatMap((stack) => {
    const dir = join(stacksDir, stack);
    if (!existsSync(dir)) throw new Error(`Stack "${stack}" not found in ${stacksDir}.`);
    return readdirSync(dir).filter((f) => /^segment-access\..+\.json$/.test(f)).sort().map((f) => join(dir, f));
  });
}

/** One desired-state file: named directly, through SEGMENT_ACCESS_DESIRED_STATE, or as the file of one synthesized stack. */
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
