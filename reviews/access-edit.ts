import { Document, isMap, isSeq, parseDocument, YAMLMap } from 'yaml';
import { AccessLevel, Environment, WorkspaceRole } from '../model/enums';
import { privilegeRank } from '../model/separation-of-duties';
import type { ValidationProblem } from '../model/validation';
import { parseAccessRequests } from '../requests/load';
import { EnvironmentOverride, grantFor, GrantDefinition, requestedPrivilege } from '../stacks/access-definition';
import type { SourceAccessProps } from '../constructs/source-access';
import { ItemChange, ItemSubject, ReviewDecision, ReviewItem } from './review-file';

/**
 * Applies a closed campaign's revocations and narrowings to access.yaml, through the YAML library's
 * Document API (eemeli/yaml, https://eemeli.org/yaml/#documents) so every comment and the layout
 * survive; the edited text is validated again by the requests loader before anyone writes it. A revoke
 * removes the entry when the campaign revokes it in every environment it has access in, else makes the
 * environment `absent`; a change writes an environment override with the lower role or earlier end.
 */

/** An item's decision, located for problems. */
export interface DecidedItem {
  readonly item: ReviewItem;
  /** `file:line:col` of the item's decision in the review file. */
  readonly at: string;
  readonly field: string;
}

export interface AccessEdit {
  readonly text: string;
  /** What was done, one line per item (for the summary). */
  readonly applied: readonly string[];
  /** Decisions that cannot be applied (an entry gone, a change that does not narrow). */
  readonly problems: readonly ValidationProblem[];
}

type Entries = { collaborators: { id: string; grant: GrantDefinition; environments?: Partial<Record<Environment, EnvironmentOverride>> }[]; groupGrants: { id: string; grant: GrantDefinition; environments?: Partial<Record<Environment, EnvironmentOverride>> }[] };

function listOf(subject: ItemSubject): 'collaborators' | 'groupGrants' {
  return subject === ItemSubject.GROUP ? 'groupGrants' : 'collaborators';
}

/** A READ_ONLY grant allows only READ_ONLY source access and configures no destination. */
function readOnlySourceAccess(entries: Readonly<Record<string, SourceAccessProps>>): Record<string, SourceAccessProps> {
  return Object.fromEntries(
    Object.entries(entries).map(([id, access]) => {
      const { destinations: _destinations, ...rest } = access;
      return [id, { ...rest, level: AccessLevel.READ_ONLY }];
    }),
  );
}

/** Why a change does not narrow the current grant (undefined when it does). */
function notNarrower(current: GrantDefinition, change: ItemChange): string | undefined {
  if (change.role !== undefined) {
    const privilege = requestedPrivilege(current);
    if (current.role === WorkspaceRole.CUSTOM) return `the grant is CUSTOM (explicit permissions): narrow its customPermissions in a pull request, or revoke it`;
    if (privilegeRank(change.role) >= privilegeRank(privilege)) return `${change.role} is not lower than the current ${current.role}`;
    const narrowed = Object.keys(current.sourceAccess ?? {}).length > 0;
    if (change.role === WorkspaceRole.READ_ONLY && current.role === WorkspaceRole.MEMBER && !narrowed) {
      return 'READ_ONLY without sourceAccess reads every source, more than a MEMBER grant without sourceAccess: keep or revoke it';
    }
  }
  if (change.expiresOn !== undefined && current.expiresOn !== undefined && change.expiresOn >= current.expiresOn) {
    return `expiresOn ${change.expiresOn} is not earlier than the current ${current.expiresOn}`;
  }
  return undefined;
}

/** Whether this campaign already wrote the change (a close re-run after a crash between its two writes). */
function alreadyApplied(current: GrantDefinition, override: EnvironmentOverride | undefined, change: ItemChange, campaign: string): boolean {
  const byThisCampaign = override?.reason.includes(`access review ${campaign} by`) ?? false;
  return byThisCampaign && (change.role === undefined || current.role === change.role) && (change.expiresOn === undefined || current.expiresOn === change.expiresOn);
}

function entryMap(doc: ReturnType<typeof parseDocument>, list: string, id: string): { seq: unknown; index: number; map?: YAMLMap } {
  const seq = doc.get(list, true);
  if (!isSeq(seq)) return { seq, index: -1 };
  const index = seq.items.findIndex((n) => isMap(n) && n.get('id') === id);
  return { seq, index, map: index >= 0 ? (seq.items[index] as YAMLMap) : undefined };
}

/** The start of the line `offset` is on. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * The file with only the edited entries re-rendered and the removed ones cut out: every other byte
 * (other entries, comments between them, flow or block style) stays as it was written.
 */
function spliceEntries(source: string, edited: ReadonlySet<YAMLMap>, removed: ReadonlySet<YAMLMap>): string {
  const edits = [...removed].map((map) => ({ start: lineStart(source, map.range![0]), end: map.range![2], text: '' }));
  for (const map of edited) {
    if (removed.has(map)) continue;
    const [start, , end] = map.range!;
    const indent = ' '.repeat(start - lineStart(source, start));
    const entry = new Document();
    entry.contents = map;
    const rendered = entry.toString({ lineWidth: 0 }).replace(/\n(?=.)/g, `\n${indent}`);
    edits.push({ start, end, text: rendered });
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export function applyDecisions(accessText: string, accessFile: string, decided: readonly DecidedItem[], campaign: { id: string; environments: readonly Environment[] }): AccessEdit {
  const data = parseAccessRequests(accessText, accessFile) as unknown as Entries;
  const doc = parseDocument(accessText);
  const applied: string[] = [];
  const problems: ValidationProblem[] = [];
  const edited = new Set<YAMLMap>();
  const removed = new Set<YAMLMap>();
  const byEntry = new Map<string, DecidedItem[]>();
  for (const d of decided) {
    const s = d.item.snapshot;
    if (s.subject === ItemSubject.UNMANAGED || d.item.decision === ReviewDecision.KEEP) continue;
    const key = `${listOf(s.subject)}/${s.entry}`;
    byEntry.set(key, [...(byEntry.get(key) ?? []), d]);
  }
  for (const [key, items] of byEntry) {
    const [list, id] = key.split('/') as ['collaborators' | 'groupGrants', string];
    const entry = data[list].find((e) => e.id === id);
    const reviewer = (d: DecidedItem) => d.item.reviewer ?? 'the reviewer';
    const why = (d: DecidedItem, verb: string) => `${verb} in access review ${campaign.id} by ${reviewer(d)}${d.item.note ? `: ${d.item.note}` : ''}`.slice(0, 500);
    if (!entry) {
      for (const d of items) {
        if (d.item.decision === ReviewDecision.REVOKE) applied.push(`${d.item.key}: already removed from ${accessFile}`);
        else problems.push({ at: d.at, field: d.field, received: d.item.decision, allowed: `a change to an entry of ${accessFile}`, fix: `${list}.${id} is no longer in ${accessFile}: decide revoke (it is gone) or keep.` });
      }
      continue;
    }
    const hasAccess = campaign.environments.filter((env) => grantFor(entry.grant, entry.environments, env) !== undefined);
    const revoked = new Set(items.filter((d) => d.item.decision === ReviewDecision.REVOKE).map((d) => d.item.snapshot.environment));
    const { map, seq } = entryMap(doc, list, id);
    if (!map || !isSeq(seq)) continue;
    if (hasAccess.length > 0 && hasAccess.every((env) => revoked.has(env))) {
      removed.add(map);
      applied.push(`${list}.${id}: removed from ${accessFile} (revoked in ${hasAccess.join(', ')})`);
      continue;
    }
    for (const d of items) {
      const env = d.item.snapshot.environment;
      const current = grantFor(entry.grant, entry.environments, env);
      if (d.item.decision === ReviewDecision.REVOKE) {
        if (!current) {
          applied.push(`${d.item.key}: already without access in ${env}`);
          continue;
        }
        map.setIn(['environments', env], doc.createNode({ reason: why(d, 'Revoked'), absent: true }));
        edited.add(map);
        applied.push(`${d.item.key}: environments.${env} set absent`);
        continue;
      }
      const change = d.item.change;
      if (!change) continue;
      if (!current) {
        problems.push({ at: d.at, field: d.field, received: 'change', allowed: `a change to access ${id} has in ${env}`, fix: `${id} has no access in ${env} any more: decide revoke or keep.` });
        continue;
      }
      if (alreadyApplied(current, entry.environments?.[env], change, campaign.id)) {
        applied.push(`${d.item.key}: already narrowed`);
        continue;
      }
      const wider = notNarrower(current, change);
      if (list === 'groupGrants' && change.expiresOn !== undefined) {
        problems.push({ at: d.at, field: `${d.field.replace(/decision$/, 'change')}.expiresOn`, received: change.expiresOn, allowed: 'no end date on a group grant', fix: 'change the role, or revoke the group grant (its members are the identity provider\'s).' });
        continue;
      }
      if (wider) {
        problems.push({ at: d.at, field: d.field.replace(/decision$/, 'change'), received: change, allowed: 'a change that narrows the grant: a lower role and/or an earlier expiresOn', fix: `${wider}.` });
        continue;
      }
      const existing = entry.environments?.[env];
      const override: Record<string, unknown> = { reason: existing ? `${existing.reason}; ${why(d, 'narrowed')}` : why(d, 'Narrowed') };
      if (change.role !== undefined) override.role = change.role;
      if (change.expiresOn !== undefined) override.expiresOn = change.expiresOn;
      if (change.role === WorkspaceRole.READ_ONLY && current.sourceAccess && Object.keys(current.sourceAccess).length) override.sourceAccess = readOnlySourceAccess(current.sourceAccess);
      for (const [field, value] of Object.entries(override)) map.setIn(['environments', env, field], doc.createNode(value));
      edited.add(map);
      applied.push(`${d.item.key}: environments.${env} narrowed to ${[change.role, change.expiresOn && `until ${change.expiresOn}`].filter(Boolean).join(', ')}`);
    }
  }
  const text = spliceEntries(accessText, edited, removed);
  // The edited file must read exactly like any other requests file before anyone writes it.
  if (!problems.length) parseAccessRequests(text, accessFile);
  return { text, applied, problems };
}
