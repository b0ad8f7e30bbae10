import { test } from '@fast-check/jest';
import { SegmentAccessValidationError } from '../../model/validation';
import { numRuns } from './fast-check-config';
import { definitionFrom, hostileSlots, Slot, SLOT_DEFAULTS, Slots, synthDefinition, SynthOutput } from './support/hostile-definition';
import { decodeMarkdownText, parseCsv } from '../support/output-decoding';

// Any string in any field of the access definition: synth either refuses it with an error that names
// the construct and the field, or carries it through to the desired state and every record as the
// same literal text (CSV and Markdown decoded), never as a formula, markup or a terminal escape.

/** What zod does to a field before it is stored: trims text, trims and lower-cases emails. */
function stored(slot: Slot, value: string): string {
  if (/[eE]mail$/.test(slot)) return value.trim().toLowerCase();
  if (slot === 'source.labelKey' || slot === 'source.labelValue') return value;
  return value.trim();
}

/** Where each slot's text must arrive (the others are refused or only shape construct paths). */
const DESTINATIONS: Partial<Record<Slot, { desired: boolean; csv: boolean; md: boolean; handoff: boolean; matrix: boolean }>> = {
  'workspace.displayName': { desired: true, csv: true, md: true, handoff: true, matrix: true },
  'workspace.accessContact': { desired: true, csv: false, md: false, handoff: true, matrix: false },
  'source.id': { desired: true, csv: true, md: false, handoff: true, matrix: false },
  'source.name': { desired: true, csv: true, md: true, handoff: true, matrix: false },
  'source.labelKey': { desired: true, csv: true, md: true, handoff: true, matrix: false },
  'source.labelValue': { desired: true, csv: true, md: true, handoff: true, matrix: false },
  'warehouse.id': { desired: true, csv: false, md: false, handoff: false, matrix: false }, // warehouse roles are workspace-wide: the id is in the desired state's warehouse list only
  'warehouse.name': { desired: true, csv: true, md: false, handoff: true, matrix: false },
  'collaborator.email': { desired: true, csv: true, md: true, handoff: true, matrix: true },
  'collaborator.displayName': { desired: true, csv: true, md: false, handoff: true, matrix: false },
  'collaborator.organization': { desired: true, csv: true, md: false, handoff: true, matrix: false },
  'grant.justification': { desired: true, csv: true, md: false, handoff: false, matrix: false },
  'grant.ticket': { desired: true, csv: true, md: true, handoff: true, matrix: false },
  'grant.requestedBy': { desired: true, csv: true, md: true, handoff: false, matrix: false },
  'grant.approvedBy': { desired: true, csv: true, md: true, handoff: false, matrix: false },
  'grant.expiresOn': { desired: true, csv: true, md: true, handoff: true, matrix: true },
  'grant.destinationName': { desired: true, csv: true, md: true, handoff: true, matrix: false },
  'override.reason': { desired: false, csv: true, md: false, handoff: false, matrix: true },
  'person.displayName': { desired: true, csv: true, md: false, handoff: true, matrix: false },
  'person.email': { desired: true, csv: true, md: true, handoff: true, matrix: true },
  'suppression.reason': { desired: false, csv: true, md: true, handoff: false, matrix: false },
  'group.groupName': { desired: true, csv: true, md: true, handoff: false, matrix: true },
  'group.justification': { desired: true, csv: true, md: false, handoff: false, matrix: false },
};

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

function file(out: SynthOutput, suffix: string): string[] {
  return [...out.files].filter(([path]) => path.endsWith(suffix)).map(([, text]) => text);
}

/** Decoded Markdown: every line, decoded; table cells decoded one by one too (a cell's "|" is escaped). */
function markdownTexts(md: string): string[] {
  return md.split('\n').flatMap((line) => [decodeMarkdownText(line), ...(line.startsWith('| ') ? line.slice(2, -2).split(/(?<!\\) \| /).map(decodeMarkdownText) : [])]);
}

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectCarriedThrough(out: SynthOutput, slots: Slots, changed: readonly Slot[]): void {
  const desired = file(out, '.json').filter((t) => t.includes('"schemaVersion"')).flatMap((t) => stringsIn(JSON.parse(t)));
  const inventoryJson = file(out, 'inventory.json').flatMap((t) => stringsIn(JSON.parse(t)));
  const csvCells = file(out, 'inventory.csv').flatMap((t) => parseCsv(t).flat());
  const matrix = [...file(out, 'access-matrix.csv').flatMap((t) => parseCsv(t).flat()), ...file(out, 'access-matrix.md').flatMap(markdownTexts)];
  const inventoryMd = file(out, 'inventory.md').flatMap(markdownTexts);
  const handoff = file(out, 'handoff-notes.md').flatMap(markdownTexts);
  for (const slot of changed) {
    const where = DESTINATIONS[slot];
    const text = stored(slot, slots[slot]);
    if (!where || text === '') continue;
    const arrives = (list: string[]) => list.some((s) => s.includes(text));
    const report = (place: string, ok: boolean) => expect(ok ? 'arrived' : `${slot} = ${JSON.stringify(text)} missing from ${place}`).toBe('arrived');
    if (where.desired) report('the desired state', desired.includes(text) || desired.some((s) => s.includes(text)));
    if (where.csv) report('inventory.json', arrives(inventoryJson));
    if (where.csv) report('inventory.csv', arrives(csvCells));
    if (where.md) report('inventory.md', arrives(inventoryMd));
    if (where.handoff) report('the hand-off notes', arrives(handoff));
    if (where.matrix) report('the access matrix', arrives(matrix));
  }
  // Nothing an editor, a spreadsheet or a terminal would act on, in any record.
  for (const [path, text] of out.files) {
    if (path.endsWith('.md')) expect(RAW_CONTROL.test(text) ? `raw control character in ${path}` : 'clean').toBe('clean');
    if (path.endsWith('.csv')) {
      const unguarded = parseCsv(text, { undoFormulaGuard: false }).flat().filter((cell) => /^[=+\-@\t\r]/.test(cell));
      expect(unguarded).toEqual([]);
    }
  }
}

/** A refusal that helps: the validation error names the construct path and the field; a guardrail names path and rule. */
function expectHelpfulRefusal(error: unknown): void {
  if (error instanceof SegmentAccessValidationError) {
    expect(error.message).toMatch(/^Invalid input at [A-Za-z]+ "?[^\n]*prod/);
    expect(error.problems.length).toBeGreaterThan(0);
    for (const p of error.problems) expect(p.field).not.toBe('');
    expect(RAW_CONTROL.test(error.message)).toBe(false);
    expect(() => JSON.stringify(error)).not.toThrow();
    return;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Guardrails stop synth with "[construct path] [rule id] what, why, fix" lines.
  expect(message).toMatch(/\[prod[^\]]*\] \[SA-[A-Z]+-\d{3}\]/);
  expect(error).not.toBeInstanceOf(TypeError);
}

/** How the runs ended, so a generator that only ever produces refusals (or only successes) is noticed. */
const outcomes = { carried: 0, refusedByValidation: 0, refusedByGuardrail: 0 };

test.prop([hostileSlots], { numRuns: numRuns(150) })(
  'synth refuses a hostile string with a helpful error, or carries it through as the same literal text',
  ({ slots, changed }) => {
    let out: SynthOutput | undefined;
    try {
      out = synthDefinition(definitionFrom(slots));
    } catch (error) {
      expectHelpfulRefusal(error);
      outcomes[error instanceof SegmentAccessValidationError ? 'refusedByValidation' : 'refusedByGuardrail'] += 1;
      return;
    }
    expectCarriedThrough(out, slots, changed);
    outcomes.carried += 1;
  },
);

test('the runs above exercised both outcomes: strings carried through, and strings refused', () => {
  if (process.env.FC_DEBUG) console.log(outcomes);
  expect(outcomes.carried).toBeGreaterThan(5);
  expect(outcomes.refusedByValidation).toBeGreaterThan(5);
});

test('the harmless definition synthesizes (so the property above exercises both outcomes)', () => {
  const out = synthDefinition(definitionFrom({ ...SLOT_DEFAULTS }));
  expect(out.files.size).toBeGreaterThan(5);
});

