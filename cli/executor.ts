#!/usr/bin/env node
// Entry of the single-file executor (dist/executor/segment-access-executor.cjs) that synth copies
// beside each stack: only the commands Terraform and CI run, no emulator, no tooling.
import { EXECUTOR_COMMANDS } from './executor-commands';
import { runCli } from './run-cli';

runCli(EXECUTOR_COMMANDS, process.argv.slice(2));
