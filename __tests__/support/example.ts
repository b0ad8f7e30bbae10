import { join, resolve } from 'path';
import { loadAccessRequests } from '../../requests/load';
import { exampleDefinition } from '../../stacks/example-workspaces';
import type { AccessDefinition } from '../../stacks/access-definition';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** The example app's requests file, at the repo root as `cdktf synth` reads it. */
export const EXAMPLE_REQUESTS_FILE = join(REPO_ROOT, 'access.yaml');

/** The example app as main.ts builds it: the workspaces (code) joined with access.yaml (data). */
export const EXAMPLE_ACCESS: AccessDefinition = exampleDefinition(loadAccessRequests(EXAMPLE_REQUESTS_FILE));
