#!/usr/bin/env node
// The `segment-access` CLI: the executor's commands plus the tooling around them.
import { EXECUTOR_COMMANDS } from './executor-commands';
import { CommandTable, runCli } from './run-cli';

const COMMANDS: CommandTable = {
  ...EXECUTOR_COMMANDS,
  emulator: { summary: 'run the local Segment Public API emulator', load: () => require('./commands/emulator') },
  doctor: { summary: 'read-only checks of a real workspace before the first deploy: token, access, plan, audit trail, undocumented behaviours', load: () => require('./commands/doctor') },
  import: { summary: 'write the access definition of live workspaces, so the first deploy adopts them and changes nothing', load: () => require('./commands/import') },
  demo: { summary: 'synthesize prod, staging and dev and `cdktf deploy` them to the bundled emulator', load: () => require('./commands/demo') },
};

runCli(COMMANDS, process.argv.slice(2));
