#!/usr/bin/env node
// The `segment-access` CLI: the executor's commands plus the tooling around them.
import { EXECUTOR_COMMANDS } from './executor-commands';
import { CommandTable, runCli } from './run-cli';

const COMMANDS: CommandTable = {
  ...EXECUTOR_COMMANDS,
  init: { summary: 'make a team\'s access repo: pinned versions, workspaces as code, access.yaml, a test, CI, an emulator seed (files only)', load: () => require('./commands/init') },
  validate: { summary: 'check an access requests file (access.yaml) on its own: no token, no network; exit 0 = valid, 1 = invalid', load: () => require('./commands/validate') },
  emulator: { summary: 'run the local Segment Public API emulator', load: () => require('./commands/emulator') },
  doctor: { summary: 'read-only checks of a real workspace before the first deploy: token, access, plan, audit trail, undocumented behaviours', load: () => require('./commands/doctor') },
  import: { summary: 'write the access definition of live workspaces, so the first deploy adopts them and changes nothing', load: () => require('./commands/import') },
  keygen: { summary: 'print a new record key (the secret that signs the record of managed users)', load: () => require('./commands/keygen') },
  disown: { summary: 'drop people from this app\'s record without touching their access (settles a conflict with another app)', load: () => require('./commands/disown') },
  review: { summary: 'access reviews as files: start (snapshot live access), status, close (apply revocations to access.yaml, seal), verify', load: () => require('./commands/review') },
  approvals: { summary: 'approvals verify: every grant a pull request adds or raises names an approver who approved it', load: () => require('./commands/approvals') },
  evidence: { summary: 'write the evidence pack of a period (CSV, JSON, one self-contained HTML report, manifest with sha256)', load: () => require('./commands/evidence') },
  demo: { summary: 'synthesize prod, staging and dev and deploy them to the bundled emulator (with cdktn or cdktf, whichever the project has)', load: () => require('./commands/demo') },
};

runCli(COMMANDS, process.argv.slice(2));
