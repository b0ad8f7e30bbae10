import { renameSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Document, isMap, parseDocument } from 'yaml';
import { z } from 'zod';
import { canonicalJson, sha256 } from '../model/canonical';
import { samePerson } from '../model/separation-of-duties';
import { Environment, WorkspaceRole } from '../model/enums';
import { SegmentAccessValidationError } from '../model/validation';
import { emailSchema, isoDateSchema } from '../constructs/schemas';
import { loadDataFile, parseDataFile } from '../requests/data-file';
import type { SafeYaml } from '../requests/safe-yaml';

/**
 * A review campaign as a file in the repo (`reviews/<id>.yaml`): `review start` writes the snapshot of
 * every grant and every unmanaged member; reviewers fill in decisions in a pull request; `review close`
 * seals the decisions; `review verify` records when the revocations were confirmed gone. Parsed like
 * access.yaml (safe YAML, zod, file:line problems), because reviewers edit it.
 */

export const REVIEW_FILE_VERSION = 1;

/** What a reviewer decides (Opal's model: any single revoke revokes). */
export enum ReviewDecision {
  KEEP = 'keep',
  REVOKE = 'revoke',
  /** Narrow the grant: a lower role, or an earlier end date. */
  CHANGE = 'change',
}

/** How an item's access relates to the code at the snapshot. */
export enum ItemStatus {
  /** Declared, and live as declared (or invited, or not yet deployed). */
  MANAGED = 'managed',
  /** Declared, but live permissions differ from the code. */
  DRIFTED = 'drifted',
  /** A member or invite the code does not declare. */
  UNMANAGED = 'unmanaged',
}

/** What the item is about: a collaborator's grant, a group grant, or an unmanaged member. */
export enum ItemSubject {
  COLLABORATOR = 'collaborator',
  GROUP = 'group',
  UNMANAGED = 'unmanaged',
}

export enum LivePresence {
  MEMBER = 'member',
  INVITED = 'invited',
  ABSENT = 'absent',
}

export enum CampaignStatus {
  OPEN = 'open',
  CLOSED = 'closed',
}

const text = z.string().trim().min(1);
const reason = z.string({ error: 'a written reason' }).trim().min(10, { error: 'a written reason of at least 10 characters' });

/** What the reviewers certify: the access as it was read when the campaign started. Never edited. */
export const ItemSnapshotSchema = z
  .object({
    subject: z.enum(ItemSubject),
    /** The access.yaml entry (collaborator or group grant id); null for an unmanaged member. */
    entry: z.string().nullable(),
    environment: z.enum(Environment),
    workspace: text,
    workspaceId: text,
    email: z.string().nullable(),
    groupName: z.string().nullable(),
    who: text,
    role: z.string(),
    access: z.string(),
    expiresOn: z.string().nullable(),
    since: z.string(),
    requestedBy: z.string().nullable(),
    approvedBy: z.string().nullable(),
    ticket: z.string().nullable(),
    lastChange: z.string().nullable(),
    status: z.enum(ItemStatus),
    live: z.enum(LivePresence),
    /** sha256 of the live access read (presence and permissions): `review status` compares it with Segment now. */
    liveFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/** How a `change` narrows the grant: a lower role, an earlier end date, or both. */
export const ItemChangeSchema = z
  .object({
    role: z.enum([WorkspaceRole.ADMIN, WorkspaceRole.MEMBER, WorkspaceRole.READ_ONLY]).optional(),
    expiresOn: isoDateSchema.optional(),
  })
  .strict()
  .refine((c) => c.role !== undefined || c.expiresOn !== undefined, { error: 'a change with a lower role, an earlier expiresOn, or both' });

export const ReviewItemSchema = z
  .object({
    // Unmanaged members' keys hold their address, which may use any character an email allows but space.
    key: z.string().regex(/^(prod|staging|dev)\/\S{1,300}$/, { error: 'an item key such as prod/NorthwindLead (written by review start)' }),
    snapshot: ItemSnapshotSchema,
    reviewer: emailSchema.nullable().default(null),
    decision: z.enum(ReviewDecision).nullable().default(null),
    change: ItemChangeSchema.nullable().default(null),
    note: z.string().trim().nullable().default(null),
    /** A reviewer who reviews their own access says why here (Vanta's rule); without it close refuses. */
    selfReviewReason: reason.nullable().default(null),
  })
  .strict();

export const ReviewClosingSchema = z
  .object({
    closedAt: z.iso.datetime(),
    /** sha256 of the canonical decisions (see sealOf): any edit after close breaks it. */
    seal: z.string().regex(/^[0-9a-f]{64}$/),
    /** sha256 of access.yaml as close left it (the revocations applied). */
    accessDigest: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export const ReviewVerificationSchema = z
  .object({
    verifiedAt: z.iso.datetime(),
    complete: z.boolean(),
    items: z.array(
      z
        .object({
          key: z.string(),
          outcome: z.enum(['gone', 'still present', 'narrowed', 'not narrowed yet']),
          /** When the audit trail shows the removal or change, if it does. */
          at: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export const ReviewFileSchema = z
  .object({
    version: z.literal(REVIEW_FILE_VERSION),
    campaign: z
      .object({
        id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'a campaign id such as 2026-Q4' }),
        startedAt: z.iso.datetime(),
        due: isoDateSchema.nullable(),
        status: z.enum(CampaignStatus),
        /** sha256 of every item's snapshot: the snapshot is what is certified, so nobody may edit it. */
        snapshotDigest: z.string().regex(/^[0-9a-f]{64}$/),
      })
      .strict(),
    items: z.array(ReviewItemSchema),
    closing: ReviewClosingSchema.nullable().default(null),
    verification: ReviewVerificationSchema.nullable().default(null),
  })
  .strict();

export type ItemSnapshot = z.infer<typeof ItemSnapshotSchema>;
export type ItemChange = z.infer<typeof ItemChangeSchema>;
export type ReviewItem = z.infer<typeof ReviewItemSchema>;
export type ReviewFile = z.infer<typeof ReviewFileSchema>;
export type ReviewVerification = z.infer<typeof ReviewVerificationSchema>;

const FIXES: Readonly<Record<string, string>> = {
  decision: 'write keep, revoke or change (change also needs change: { role: ..., expiresOn: ... }).',
  reviewer: 'write the reviewer\'s email address, e.g. security@acme.example.',
  selfReviewReason: 'say in at least 10 characters why the reviewer reviews their own access, or assign another reviewer.',
  role: 'a change narrows the grant: write ADMIN, MEMBER or READ_ONLY, lower than the current role.',
  expiresOn: 'write the new, earlier end date as YYYY-MM-DD.',
  change: 'write change: { role: READ_ONLY } or change: { expiresOn: 2027-01-31 }.',
};

function fixFor(file: string): (field: string) => string {
  return (field) => {
    const last = field.split('.').reverse().find((s) => !/^\d+$/.test(s)) ?? field;
    if (field.includes('.snapshot.') || field.startsWith('campaign.')) return `restore ${field} as review start wrote it in ${file}: the snapshot is what the reviewers certify (start a new campaign to review new access).`;
    return FIXES[last] ?? `set ${field} to an allowed value in ${file}.`;
  };
}

export function reviewWhere(file: string): string {
  return `review file "${file}"`;
}

/** The path of a campaign's file. */
export function reviewFilePath(dir: string, id: string): string {
  return join(dir, `${id}.yaml`);
}

/** A parsed review file, with where each value is written (for file:line problems). */
export interface LoadedReview {
  readonly file: string;
  readonly review: ReviewFile;
  readonly yaml: SafeYaml;
  readonly text: string;
}

export function parseReviewFile(text: string, file: string): LoadedReview {
  const { value, yaml } = parseDataFile(text, file, ReviewFileSchema, { where: reviewWhere(file), fixFor: fixFor(file) });
  return { file, review: value, yaml, text };
}

export function loadReviewFile(file: string): LoadedReview {
  const { value, yaml, text } = loadDataFile(file, ReviewFileSchema, {
    where: reviewWhere(file),
    fixFor: fixFor(file),
    missing: `start the campaign with \`segment-access review start --id <id>\` (it writes ${file}), or pass --dir.`,
  });
  return { file, review: value, yaml, text };
}

/** The digest of every item's snapshot, in file order: what `review start` certified. */
export function snapshotDigestOf(items: readonly Pick<ReviewItem, 'key' | 'snapshot'>[]): string {
  return sha256(canonicalJson(items.map((i) => ({ key: i.key, snapshot: i.snapshot }))));
}

/** The seal: sha256 over the campaign, its snapshot digest, the closing time and every decision. */
export function sealOf(review: Pick<ReviewFile, 'campaign' | 'items'>, closedAt: string): string {
  const decisions = review.items.map((i) => ({
    key: i.key,
    reviewer: i.reviewer,
    decision: i.decision,
    change: i.change,
    note: i.note,
    selfReviewReason: i.selfReviewReason,
  }));
  return sha256(canonicalJson({ campaign: review.campaign.id, snapshotDigest: review.campaign.snapshotDigest, startedAt: review.campaign.startedAt, due: review.campaign.due, closedAt, decisions }));
}

/** Whether the reviewer is the person whose access the item is (self-review), their mailboxes compared as separation of duties does. */
export function isSelfReview(item: Pick<ReviewItem, 'reviewer' | 'snapshot'>): boolean {
  return samePerson(item.reviewer, item.snapshot.email);
}

/** The snapshot and seal checks every command after start relies on. */
export function integrityProblems(loaded: LoadedReview): SegmentAccessValidationError | undefined {
  const { review, yaml, file } = loaded;
  const problems = [];
  const digest = snapshotDigestOf(review.items);
  if (digest !== review.campaign.snapshotDigest) {
    problems.push({
      at: yaml.locate(['campaign', 'snapshotDigest']),
      field: 'campaign.snapshotDigest',
      received: `${review.campaign.snapshotDigest.slice(0, 12)}… while the snapshot now hashes to ${digest.slice(0, 12)}…`,
      allowed: 'the snapshot exactly as review start wrote it (items, their order, and every snapshot field)',
      fix: `restore the snapshot fields from the commit that started the campaign (git log -- ${file}); decisions go in decision, change, note and selfReviewReason only.`,
    });
  }
  if (review.closing && sealOf(review, review.closing.closedAt) !== review.closing.seal) {
    problems.push({
      at: yaml.locate(['closing', 'seal']),
      field: 'closing.seal',
      received: `${review.closing.seal.slice(0, 12)}…, which the decisions no longer match`,
      allowed: 'decisions exactly as they were when the campaign was closed',
      fix: `restore the decisions from the commit that closed the campaign (git log -- ${file}); a closed campaign is never edited.`,
    });
  }
  return problems.length ? new SegmentAccessValidationError(reviewWhere(file), problems) : undefined;
}

/** Writes text atomically (a file beside it, then a rename): a crash leaves the old file or the new one. */
export function writeFileAtomic(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

/** The header comment of a new review file: what to edit, and what not. */
function header(id: string, due: string | null): string {
  return [
    ` Access review ${id}${due ? ` (due ${due})` : ''}, written by \`segment-access review start\`.`,
    ' Reviewers: for each item, set decision to keep, revoke or change (a change narrows the grant:',
    ' change: { role: READ_ONLY } or change: { expiresOn: 2027-01-31 }) and add a note, in a pull request.',
    ' Reviewing your own access needs selfReviewReason. Do not edit snapshot: it is what you certify.',
    ` Progress: segment-access review status ${id}. Close: segment-access review close ${id}.`,
  ].join('\n');
}

/** The text of a new review file. */
export function renderNewReviewFile(review: ReviewFile): string {
  const doc = new Document(review);
  doc.commentBefore = header(review.campaign.id, review.campaign.due);
  return doc.toString({ lineWidth: 0 });
}

/**
 * The review file's text with `closing` or `verification` set, through the YAML library's Document API:
 * the reviewers' comments and layout survive.
 */
export function withSections(text: string, sections: Partial<Pick<ReviewFile, 'closing' | 'verification'>> & { status?: CampaignStatus }): string {
  const doc = parseDocument(text);
  if (sections.status) doc.setIn(['campaign', 'status'], sections.status);
  for (const key of ['closing', 'verification'] as const) {
    const value = sections[key];
    if (value !== undefined) doc.set(key, doc.createNode(value));
  }
  if (!isMap(doc.contents)) throw new Error('review file: the document is not a mapping');
  return doc.toString({ lineWidth: 0 });
}
