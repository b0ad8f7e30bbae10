import { z } from 'zod';
import { canonicalJson, normalizeEmail } from '../model/canonical';
import { Environment } from '../model/enums';
import { privilegeRank } from '../model/separation-of-duties';
import { emailSchema } from '../constructs/schemas';
import { loadDataFile } from '../requests/data-file';
import type { AccessRequests } from '../requests/load';
import { EnvironmentOverride, grantFor, GrantDefinition, requestedPrivilege } from '../stacks/access-definition';

/**
 * Approvals tied to the pull request: every grant a pull request adds or raises must name, as
 * `approvedBy`, someone who approved that pull request on the code host. GitHub's reviews come as
 * `gh pr view <n> --json reviews` prints them (https://cli.github.com/manual/gh_pr_view; the fields are
 * GitHub's PullRequestReview: author.login, state, submittedAt, commit.oid). A reviewer's latest
 * APPROVED, CHANGES_REQUESTED or DISMISSED review decides; comments do not.
 */

export const PullRequestReviewsSchema = z
  .object({
    reviews: z.array(
      z
        .object({
          author: z.object({ login: z.string().min(1) }).loose(),
          state: z.enum(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']),
          submittedAt: z.string().nullable().optional(),
          commit: z.object({ oid: z.string() }).loose().nullable().optional(),
        })
        .loose(),
    ),
  })
  .loose();

export type PullRequestReviews = z.infer<typeof PullRequestReviewsSchema>;

/** Who approved: login -> when, with the latest deciding review of each reviewer. */
export function approvingLogins(reviews: PullRequestReviews, requireCommit?: string): Map<string, string> {
  const latest = new Map<string, { state: string; at: string; commit: string | null }>();
  const ordered = [...reviews.reviews].map((r, i) => ({ r, i })).sort((a, b) => (a.r.submittedAt ?? '').localeCompare(b.r.submittedAt ?? '') || a.i - b.i);
  for (const { r } of ordered) {
    if (r.state === 'COMMENTED' || r.state === 'PENDING') continue;
    latest.set(r.author.login.toLowerCase(), { state: r.state, at: r.submittedAt ?? '', commit: r.commit?.oid ?? null });
  }
  const out = new Map<string, string>();
  for (const [login, review] of latest) {
    if (review.state !== 'APPROVED') continue;
    if (requireCommit !== undefined && review.commit !== requireCommit) continue;
    out.set(login, review.at);
  }
  return out;
}

/** Which code-host login is which person: a control the platform team owns (CODEOWNERS), never the requests file. */
export const ApproverMappingSchema = z
  .object({
    version: z.literal(1),
    approvers: z.record(z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, { error: 'a GitHub login' }), emailSchema),
  })
  .strict();

export function loadApproverMapping(file: string): Map<string, string> {
  const { value } = loadDataFile(file, ApproverMappingSchema, {
    where: `approver mapping "${file}"`,
    missing: `write ${file} (version: 1, approvers: { <github-login>: <email> }), owned by the platform team in CODEOWNERS, or pass --approvers.`,
    fixFor: (field) => (field.startsWith('approvers.') ? 'map each GitHub login to the email the requests name, e.g. octocat: cto@acme.example.' : `set ${field} as documented in docs/audit-and-reviews.md.`),
  });
  return new Map(Object.entries(value.approvers).map(([login, email]) => [login.toLowerCase(), normalizeEmail(email)]));
}

export interface GrantApproval {
  readonly entry: string;
  readonly environment: Environment;
  readonly subject: string;
  /** added, or what was raised. */
  readonly change: string;
  readonly role: string;
  readonly approvedBy: string | null;
  /** The logins that map to approvedBy and approved the pull request (empty: not approved). */
  readonly approvedByLogins: readonly string[];
  readonly approvedAt: string | null;
  readonly ok: boolean;
}

type Entry = { id: string; email?: string; groupName?: string; approvedBy?: string; grant: GrantDefinition; environments?: Partial<Record<Environment, EnvironmentOverride>> };

function entries(requests: AccessRequests | undefined): Map<string, Entry> {
  const all = [...(requests?.collaborators ?? []), ...(requests?.groupGrants ?? [])] as Entry[];
  return new Map(all.map((e) => [e.id, e]));
}

/** Why `after` needs a fresh approval compared with `before` (undefined when it does not widen anything). */
export function whatWidens(before: (GrantDefinition & { who: string }) | undefined, after: GrantDefinition & { who: string }): string | undefined {
  if (!before) return 'added';
  if (normalizeEmail(before.who) !== normalizeEmail(after.who)) return `granted to another address (${before.who} -> ${after.who})`;
  const [rb, ra] = [requestedPrivilege(before), requestedPrivilege(after)];
  if (privilegeRank(ra) > privilegeRank(rb) || (before.role !== after.role && (before.role === 'CUSTOM' || after.role === 'CUSTOM'))) return `role raised (${before.role} -> ${after.role})`;
  if (canonicalJson(before.customPermissions ?? []) !== canonicalJson(after.customPermissions ?? [])) return 'custom permissions changed';
  const accessOf = (g: GrantDefinition) => g.sourceAccess ?? {};
  const [sb, sa] = [accessOf(before), accessOf(after)];
  // Removing entries, or lowering their level, narrows; anything else is judged as widening.
  const wider = Object.entries(sa).some(([k, v]) => {
    const old = sb[k];
    if (!old) return Object.keys(sb).length > 0 || privilegeRank(ra) > 1;
    const { level: lo, ...restOld } = old;
    const { level: ln, ...restNew } = v;
    return canonicalJson(restOld) !== canonicalJson(restNew) || (lo === 'READ_ONLY' && ln === 'ADMIN');
  });
  if (wider) return 'source access widened';
  if (before.expiresOn !== undefined && (after.expiresOn === undefined || after.expiresOn > before.expiresOn)) return `end date extended (${before.expiresOn} -> ${after.expiresOn ?? 'never'})`;
  if ((before.approvedBy ?? null) !== (after.approvedBy ?? null)) return `approver changed (${before.approvedBy ?? 'none'} -> ${after.approvedBy ?? 'none'})`;
  return undefined;
}

/**
 * Every grant the head adds or widens, per environment, with whether its approver approved the pull
 * request. `base` is undefined when the base ref had no requests file.
 */
export function verifyApprovals(base: AccessRequests | undefined, head: AccessRequests, approved: ReadonlyMap<string, string>, approvers: ReadonlyMap<string, string>): GrantApproval[] {
  const before = entries(base);
  const out: GrantApproval[] = [];
  for (const [id, entry] of entries(head)) {
    for (const environment of Object.values(Environment)) {
      const now = grantFor(entry.grant, entry.environments, environment);
      if (!now) continue;
      const who = entry.email ?? `group ${entry.groupName}`;
      const old = before.get(id);
      const was = old ? grantFor(old.grant, old.environments, environment) : undefined;
      const approvedBy = now.approvedBy ?? entry.approvedBy;
      const wasApprovedBy = was ? (was.approvedBy ?? old?.approvedBy) : undefined;
      const change = whatWidens(was && { ...was, approvedBy: wasApprovedBy, who: old?.email ?? `group ${old?.groupName}` }, { ...now, approvedBy, who });
      if (!change) continue;
      const logins = approvedBy ? [...approvers].filter(([login, email]) => email === normalizeEmail(approvedBy) && approved.has(login)).map(([login]) => login).sort() : [];
      out.push({
        entry: id,
        environment,
        subject: who,
        change,
        role: now.role,
        approvedBy: approvedBy ?? null,
        approvedByLogins: logins,
        approvedAt: logins.length ? approved.get(logins[0]) ?? null : null,
        ok: logins.length > 0,
      });
    }
  }
  return out;
}
