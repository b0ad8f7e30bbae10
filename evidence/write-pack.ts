import { mkdirSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { canonicalJson, sha256 } from '../model/canonical';
import { csvDocument } from '../model/output-encoding';
import { renderEvidenceHtml } from './html-report';
import { redactRecordKeys } from '../api/redact';
import type { EvidencePack } from './pack';

/** The files of a pack, by name: CSV and JSON for tools, one HTML report for people. */
export function evidenceFiles(pack: EvidencePack): Map<string, string> {
  const csv = <T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]) =>
    csvDocument(columns, rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c])))));
  const inventory = ['environment', 'workspace', 'email', 'presence', 'managed', 'role', 'ticket', 'requestedBy', 'approvedBy'] as const;
  const files = new Map<string, string>([
    ['inventory-start.csv', csv(pack.inventoryStart, inventory)],
    ['inventory-end.csv', csv(pack.inventoryEnd, inventory)],
    ['changes.csv', csv(pack.changes, ['at', 'environment', 'workspace', 'email', 'change', 'by', 'byThisCode', 'eventType', 'eventId', 'ticket', 'requestedBy', 'approvedBy', 'pullRequestApproval'])],
    ['removals.csv', csv(pack.removals, ['at', 'environment', 'workspace', 'email', 'by', 'trigger', 'dueSince', 'hoursToRemove'])],
    ['review.csv', csv(pack.reviewItems, ['key', 'who', 'workspace', 'role', 'status', 'reviewer', 'decision', 'change', 'note', 'selfReviewReason', 'verified'])],
    ['team-members.csv', csv(pack.teamMembers, ['environment', 'workspace', 'name', 'email', 'status', 'permissions'])],
    ['audit-events.csv', csv(pack.auditEvents, ['at', 'environment', 'workspaceId', 'type', 'actor', 'resourceType', 'resourceId', 'resourceName', 'id'])],
    ['evidence.json', `${canonicalJson(pack, 2)}\n`],
    ['report.html', renderEvidenceHtml(pack)],
  ]);
  // Nothing shaped like a record key belongs in a pack (nothing puts one there): blanked if it ever did.
  for (const [name, text] of files) files.set(name, redactRecordKeys(text));
  return files;
}

/** The manifest: every file's sha256 and size, so an auditor can tell the pack is complete and unchanged. */
export function manifestOf(files: ReadonlyMap<string, string>, pack: Pick<EvidencePack, 'period' | 'generatedAt'>): string {
  const entries = [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, text]) => ({ file: name, sha256: sha256(text), bytes: Buffer.byteLength(text, 'utf8') }));
  return `${JSON.stringify({ tool: 'segment-access', period: pack.period, generatedAt: pack.generatedAt, files: entries }, null, 2)}\n`;
}

/** Writes the pack into `dir` (created if needed); refuses a directory holding other files, so a pack is never mixed with another. */
export function writeEvidencePack(dir: string, pack: EvidencePack): string[] {
  const files = evidenceFiles(pack);
  files.set('manifest.json', manifestOf(files, pack));
  mkdirSync(dir, { recursive: true });
  const foreign = readdirSync(dir).filter((f) => !files.has(f));
  if (foreign.length) throw new Error(`evidence: ${dir} holds other files (${foreign.slice(0, 3).join(', ')}); write each pack into its own directory.`);
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return [...files.keys()].sort();
}
