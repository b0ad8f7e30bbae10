import { z } from 'zod';
import { normalizeEmail } from '../model/canonical';
import { CollaboratorKind, Environment, WorkspaceRole } from '../model/enums';
import { emailSchema } from '../constructs/schemas';
import { loadDataFile } from '../requests/data-file';
import { ItemStatus, type ItemSnapshot } from './review-file';

/**
 * Who reviews what (`review start --reviewers reviewers.yaml`): rules matched in order, the first that
 * fits assigns the item, else `default`. Without a file, an item goes to the grant's approver, else its
 * requester (ConductorOne and Opal assign to the manager or the approver the same way).
 */
export const ReviewerListSchema = z
  .object({
    version: z.literal(1),
    default: emailSchema.nullable().default(null),
    rules: z
      .array(
        z
          .object({
            reviewer: emailSchema,
            environments: z.array(z.enum(Environment)).optional(),
            domains: z.array(z.string().trim().toLowerCase().min(1)).optional(),
            roles: z.array(z.enum(WorkspaceRole)).optional(),
            kinds: z.array(z.enum(CollaboratorKind)).optional(),
            /** true: only unmanaged members; false: only declared grants. */
            unmanaged: z.boolean().optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type ReviewerList = z.infer<typeof ReviewerListSchema>;

export function loadReviewerList(file: string): ReviewerList {
  return loadDataFile(file, ReviewerListSchema, {
    where: `reviewer list "${file}"`,
    missing: `write ${file} (version: 1, default: <email>, rules: [...]; see docs/audit-and-reviews.md), or leave out --reviewers.`,
    fixFor: (field) =>
      field.endsWith('reviewer') || field === 'default'
        ? "write the reviewer's email address, e.g. security@acme.example."
        : `set ${field} to an allowed value in ${file} (see docs/audit-and-reviews.md).`,
  }).value;
}

/** The reviewer of one snapshot item, or null when nobody fits (review status lists it as unassigned). */
export function assignReviewer(item: ItemSnapshot & { readonly kind: CollaboratorKind | null }, list: ReviewerList | undefined): string | null {
  if (!list) return item.approvedBy ?? item.requestedBy ?? null;
  const domain = item.email ? normalizeEmail(item.email.slice(item.email.lastIndexOf('@') + 1)) : null;
  const unmanaged = item.status === ItemStatus.UNMANAGED;
  const rule = list.rules.find(
    (r) =>
      (r.environments === undefined || r.environments.includes(item.environment)) &&
      (r.domains === undefined || (domain !== null && r.domains.includes(domain))) &&
      (r.roles === undefined || r.roles.includes(item.role as WorkspaceRole)) &&
      (r.kinds === undefined || (item.kind !== null && r.kinds.includes(item.kind))) &&
      (r.unmanaged === undefined || r.unmanaged === unmanaged),
  );
  const reviewer = rule?.reviewer ?? list.default;
  return reviewer === null ? null : normalizeEmail(reviewer);
}
