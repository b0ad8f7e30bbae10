import { readFileSync } from 'fs';
import { resolve } from 'path';
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
