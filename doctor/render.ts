import { terminalLines } from '../model/output-encoding';
import { exitCodeOf, Verdict, worst, type WorkspaceDiagnosis } from './doctor';

const CHECK_WIDTH = 12;

/** The doctor's report for people: one block per workspace, a verdict per check, the fix where one is needed. */
export function renderDiagnoses(diagnoses: readonly WorkspaceDiagnosis[]): string {
  const blocks = diagnoses.map(renderOne);
  const verdict = worst(diagnoses.map((d) => d.verdict));
  blocks.push(`Verdict: ${verdict} for ${diagnoses.length} workspace(s) (exit ${exitCodeOf(verdict)}). Nothing was written.`);
  // Names come from the definition and from Segment: control characters are shown, never obeyed.
  return terminalLines(blocks.join('\n\n'));
}

function renderOne(d: WorkspaceDiagnosis): string {
  const name = d.workspace.name ? `"${d.workspace.name}" ` : '';
  const lines = [`Workspace ${name}(${d.workspace.id}), token from ${d.workspace.tokenEnvVar}:`];
  for (const c of d.checks) {
    lines.push(`  ${c.verdict.padEnd(5)} ${c.check.padEnd(CHECK_WIDTH)} ${c.summary}`);
    if (c.fix && c.verdict !== Verdict.OK) lines.push(`${' '.repeat(20)}fix: ${c.fix}`);
  }
  if (d.observations.length) {
    lines.push('  Observed without writing (each with the emulator setting it matches):');
    for (const o of d.observations) {
      const setting = o.setting === undefined ? 'no setting (the emulator has one answer)' : o.matches === undefined ? `${o.setting}: not determined` : `${o.setting}=${String(o.matches)}`;
      lines.push(`    - ${o.behaviour}: ${o.evidence} -> ${setting}`);
    }
    lines.push(`  Not observable without writing (the test matrix runs every alternative): ${d.notObservable.map((n) => n.setting).join(', ')}`);
    lines.push(`  Emulator settings that match: ${JSON.stringify(d.emulatorSettings)} (closest profile: ${d.closestProfile})`);
  }
  return lines.join('\n');
}
