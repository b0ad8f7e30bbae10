import { rmSync } from 'fs';
import { join } from 'path';
import { Annotations, App, AppConfig, CdkFramework, DISABLE_STACK_TRACE_IN_METADATA, FRAMEWORK, TerraformStack } from '../framework';
import { SegmentAccessValidationError } from '../model/validation';
import { GuardrailViolationError } from '../policy/rule-pack';
import { terminalLines } from '../model/output-encoding';

/** The stack a stopped synth leaves in place of the app's stacks: it only carries the report. */
export const SYNTH_STOPPED_STACK = 'segment-access';

/** What an app's input got wrong, found before anything could reach Segment: the report and how many problems. */
export interface SynthReport {
  readonly report: string;
  readonly count: number;
}

/** The report of an error that is the input's fault (validation, guardrails); undefined for any other error (a bug keeps its stack trace). */
export function synthReportOf(error: unknown): SynthReport | undefined {
  if (error instanceof SegmentAccessValidationError) return { report: error.message, count: error.problems.length };
  if (error instanceof GuardrailViolationError) return { report: error.message, count: error.findings.length };
  return undefined;
}

/** The report and the one line after it: the count and the exit code. */
export function synthStoppedText({ report, count }: SynthReport): string {
  return `${terminalLines(report)}\nsegment-access: synth stopped: ${count} problem${count === 1 ? '' : 's'}; exit code 1.`;
}

/** Whether the framework's CLI runs this app (`cdktf synth`, `cdktn deploy`, ...): it sets both (@cdktf/cli-core synth-stack.ts). */
function runByFrameworkCli(env: NodeJS.ProcessEnv): boolean {
  return env.CDKTF_OUTDIR !== undefined && env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
}

/**
 * Builds and synthesizes a segment-access app: the body of its entry point (main.ts). When the input
 * is wrong (an invalid access.yaml or prop, a guardrail error), the report is printed ONCE, with no
 * stack trace, followed by one line with the count and the exit code; the process (or the framework's
 * CLI that runs it) ends with exit 1, and nothing from before the failed synth is left to plan, audit
 * or deploy. Any other error is a bug and is thrown as it is.
 *
 * Both framework CLIs print a failing app's stderr twice (live, then under "Command output on stderr":
 * @cdktf/commons util.ts, cli-core synth-stack.ts), so under a CLI the app does not fail; it reports
 * the way each CLI prints once:
 * - cdktf 0.21: an error annotation on one stack holding the report. The CLI prints each error
 *   annotation once, exits 1, and removes the directories of the app's stacks (not in this synth).
 * - CDK Terrain 0.24: its CLI turns an error annotation into a crash (message, stack trace and a debug
 *   dump: cdktn-cli's yargs `fail` handler treats the Error that printAnnotations throws as unexpected).
 *   What it prints once is an app that reports and writes no manifest: the CLI adds one line
 *   ("synthesis failed ... manifest.json was not created") and exits 1. So the app withdraws its output
 *   (the manifest and the stacks folder) and reports on stdout, which the CLI shows as it is (stderr it
 *   prefixes with a timestamped "[ERROR] default -").
 */
export function synthesizeApp(build: (app: App) => void, config: AppConfig = {}): void {
  const app = new App(config);
  try {
    build(app);
    app.synth();
  } catch (error) {
    const report = synthReportOf(error);
    if (!report) throw error;
    stopSynth(app.outdir, report, config.context);
  }
}

function stopSynth(outdir: string, report: SynthReport, context: AppConfig['context']): void {
  const text = synthStoppedText(report);
  if (!runByFrameworkCli(process.env)) {
    process.stderr.write(`${text}\n`);
    process.exitCode = 1;
    return;
  }
  if (FRAMEWORK.package === CdkFramework.CDKTN) {
    withdrawSynthOutput(outdir);
    process.stdout.write(`${text}\n`);
    return;
  }
  const stopped = new App({ outdir, context: { ...context, [DISABLE_STACK_TRACE_IN_METADATA]: true } });
  Annotations.of(new TerraformStack(stopped, SYNTH_STOPPED_STACK)).addError(text);
  stopped.synth();
}

/** Removes what a synth writes into the output folder (cdktf/cdktn Manifest: manifest.json and stacks/), so the CLI finds no app to run. */
function withdrawSynthOutput(outdir: string): void {
  rmSync(join(outdir, 'stacks'), { recursive: true, force: true });
  rmSync(join(outdir, 'manifest.json'), { force: true });
}
