import type { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { sha256 } from '../model/canonical';
import { buildAccessModel } from '../constructs/access-model';
import { onStackSynthesis } from '../constructs/cdktf-internals';
import { currentGeneration, KeyedGenerationCache } from '../constructs/generation';
import type { GuardrailOptions } from '../policy/rule';
import { guardrailFindings } from '../policy/guardrails-aspect';
import { formatFinding } from '../policy/rule-pack';
import { renderAccessMatrix } from './access-matrix';
import { renderHandoffNotes } from './handoff';
import { InventoryRow, inventoryRows, renderInventoryRows } from './inventory';

const REGISTERED = new WeakSet<IConstruct>();
/** App-level records are the same for every stack of a synth: written once per root, output dir and generation. */
const APP_RECORDS_WRITTEN = new WeakMap<IConstruct, string>();
const APP_ROWS = new KeyedGenerationCache<IConstruct, InventoryRow[]>();

function write(dir: string, name: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}

/** Longest note name kept as is; file systems allow 255 bytes per name (ext4, APFS, NTFS). */
const MAX_PLAIN_NOTE_NAME = 120;

/**
 * File-system-safe, bounded, deterministic name for a collaborator's note: the email itself when it is
 * short and plain; otherwise a cleaned, truncated email plus a short hash of the whole email, so two
 * emails never share a note and a 254-character address still fits in a file name.
 */
export function noteFileName(email: string): string {
  const cleaned = email.replace(/[^A-Za-z0-9@._-]/g, '_').replace(/^\.+/, '_');
  if (cleaned === email && email.length <= MAX_PLAIN_NOTE_NAME) return `${email}.md`;
  return `${cleaned.slice(0, 80)}-${sha256(email).slice(0, 12)}.md`;
}

/**
 * Writes the records on every synth: per stack (stacks/<id>/records/) the inventory of that stack;
 * for the app (records/) the inventory, the access matrix and the hand-off notes.
 */
export function writeRecordsOnSynth(stack: TerraformStack, options: GuardrailOptions = {}): void {
  if (REGISTERED.has(stack)) return;
  REGISTERED.add(stack);
  onStackSynthesis(stack, (session) => {
    const root = stack.node.root;
    const appModel = buildAccessModel(root);
    const findings = guardrailFindings(root, options);
    const blocking = findings.filter((f) => f.level === 'error' && !f.suppressed);
    // cdktf lets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS skip error annotations; guardrails are not skippable that way.
    if (blocking.length && process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined) {
      throw new Error(
        `segment-access guardrails failed:\n${blocking.map((f) => `[${f.path}] ${formatFinding(f)}`).join('\n')}\n` +
          'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS does not bypass them: fix the cause or suppress the rule with a written reason.',
      );
    }
    const appRows = APP_ROWS.get(root, `${appModel.now.getTime()}#${JSON.stringify(options)}`, () => inventoryRows(appModel, findings));
    const inStack = (path: string) => path === stack.node.path || path.startsWith(`${stack.node.path}/`);
    const stackDir = join(session.outdir, session.manifest.forStack(stack).workingDirectory, 'records');
    const stackInventory = renderInventoryRows(
      appRows.filter((r) => r.stack === stack.node.id),
      findings.filter((f) => inStack(f.path)),
      appModel.now,
      `IAM-tracker inventory: stack ${stack.node.id}`,
    );
    write(stackDir, 'inventory.json', stackInventory.json);
    write(stackDir, 'inventory.csv', stackInventory.csv);
    write(stackDir, 'inventory.md', stackInventory.markdown);

    const writtenKey = `${session.outdir}#${currentGeneration()}`;
    if (APP_RECORDS_WRITTEN.get(root) === writtenKey) return;
    APP_RECORDS_WRITTEN.set(root, writtenKey);
    const appDir = join(session.outdir, 'records');
    const inventory = renderInventoryRows(appRows, findings, appModel.now, 'IAM-tracker inventory: all environments');
    write(appDir, 'inventory.json', inventory.json);
    write(appDir, 'inventory.csv', inventory.csv);
    write(appDir, 'inventory.md', inventory.markdown);
    const matrix = renderAccessMatrix(appModel);
    write(appDir, 'access-matrix.md', matrix.markdown);
    write(appDir, 'access-matrix.csv', matrix.csv);
    for (const [email, note] of renderHandoffNotes(appModel)) write(join(appDir, 'handoff'), noteFileName(email), note);
  });
}
