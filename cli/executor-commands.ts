import type { CommandTable } from './run-cli';
import { deepFreeze } from '../model/deep-freeze';

/** What Terraform's provisioners and a reviewer's CI run: the commands bundled into the single-file executor. */
export const EXECUTOR_COMMANDS: CommandTable = deepFreeze({
  reconcile: { summary: 'make the workspace match the desired-state file (what `cdktf deploy` runs)', load: () => require('./commands/reconcile') },
  plan: { summary: 'show the exact changes reconcile would make; exit 0 = none, 2 = changes, 1 = error', load: () => require('./commands/plan') },
  release: { summary: 'remove everything this code manages in a workspace (what `cdktf destroy` runs)', load: () => require('./commands/release') },
  audit: { summary: 'compare live workspaces with the code: drift, unmanaged members, stale invites, seats', load: () => require('./commands/audit') },
});
