#!/usr/bin/env node
// The `segment-access` CLI: the executor's commands plus the tooling around them.
import { EXECUTOR_COMMANDS } from './executor-commands';
import { CommandTable, runCli } from './run-cli';

const COMMANDS: CommandTable = {
  ...EXECUTOR_COMMANDS,
  init: { summary: 'make a team\'s access repo: pinned versions, workspaces as code, access.yaml, a test, CI, an emulator seed (files only)', load: () => require('./commands/init') },
  validate: { summary: 'check an access requests file (access.yaml) on its own: no token, no network; exit 0 = valid, 1 = invalid', load: () => require('./commands/validate') },
  emulator: { summary: 'run the local Segment Public API emulator', load: () => require('./commands/emulator') },
  import: { summary: 'write the access definition of live workspaces, so the first deploy adopts them and changes nothing', load: () => require('./commands/import') },
  keygen: { summary: 'print a new record key (the secret that signs the record of managed users)', load: () => require('./commands/keygen') },
  disown: { summary: 'drop people from this app\'s record without touching their access (settles a conflict with another app)', load: () => require('./commands/disown') },
  demo: { summary: 'synthesize prod, staging and dev and deploy them to the bundled emulator (with cdktn or cdktf, whichever the project has)', load: () => require('./commands/demo') },
};

runCli(COMMANDS, process.argv.slice(2));
