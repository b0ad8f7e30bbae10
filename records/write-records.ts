import type { IConstruct } from 'constructs';
import { onStackSynthesis, TerraformStack } from '../framework';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { buildAccessModel } from '../constructs/access-model';
import { accessRevision } from '../constructs/access-revision';
import type { GuardrailOptions } from '../policy/rule';
import { guardrailFindings } from '../policy/guardrails-aspect';
import { GuardrailViolationError } from '../policy/rule-pack';
import { renderAccessMatrix } from './access-matrix';
import { writeHandoffDocument } from './handoff';
import { inventoryRowsOf, writeInventory } from './inventory';
import { describeSeparationOfDuties } from '../constructs/workspace-controls';
import { FileSink, writeRecord } from './text-sink';

const REGISTERED = new WeakSet<IConstruct>();
/** The records are the app's, not a stack's: written once per root, output dir and revision of the declared access. */
const WRITTEN = new WeakMap<IConstruct, string>();

/**
 * Writes the records on every synth, once for the whole app (cdktf.out/records/): the inventory
 * (JSON, CSV, Markdown), the access matrix and the hand-off notes. Rendered once, whatever the
 * number of stacks; each row carries its stack and environment.
 */
export function writeRecordsOnSynth(stack: TerraformStack, options: GuardrailOptions = {}): void {
  if (REGISTERED.has(stack)) return;
  REGISTERED.add(stack);
  onStackSynthesis(stack, (session) => {
    const root = stack.node.root;
    const findings = guardrailFindings(root, options);
    const blocking = findings.filter((f) => f.level === 'error' && !f.suppressed);
    // cdktf lets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS skip error annotations; guardrails are not skippable that way.
    if (blocking.length) throw new GuardrailViolationError(blocking);
    const key = `${session.outdir}#${accessRevision(root)}#${JSON.stringify(options)}`;
    if (WRITTEN.get(root) === key) return;
    WRITTEN.set(root, key);
    const model = buildAccessModel(root);
    const dir = join(session.outdir, 'records');
    mkdirSync(dir, { recursive: true });
    const sinks = { json: new FileSink(join(dir, 'inventory.json')), csv: new FileSink(join(dir, 'inventory.csv')), markdown: new FileSink(join(dir, 'inventory.md')) };
    try {
      const separationOfDuties = model.workspaces.map((ws) => ({ stack: ws.stack, workspaceId: ws.desired.workspace.id, rules: describeSeparationOfDuties(ws.separationOfDuties) }));
      writeInventory(inventoryRowsOf(model, findings), findings, model.now, 'IAM-tracker inventory: all environments', sinks, separationOfDuties);
    } finally {
      for (const sink of Object.values(sinks)) sink.close();
    }
    const matrix = renderAccessMatrix(model);
    writeFileSync(join(dir, 'access-matrix.md'), matrix.markdown);
    writeFileSync(join(dir, 'access-matrix.csv'), matrix.csv);
    writeRecord(join(dir, 'handoff-notes.md'), (sink) => writeHandoffDocument(model, sink));
  });
}
