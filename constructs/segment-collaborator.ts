import { Construct } from 'constructs';
import { z } from 'zod';
import { CollaboratorKind } from '../model/enums';
import { normalizeEmail } from '../model/canonical';
import { FixHints, parseInput } from '../model/validation';
import { assertNewChildId } from './construct-ids';
import { emailSchema, optionalText, nonEmpty } from './schemas';

export interface SegmentCollaboratorProps {
  /** The collaborator's service account (or personal work) email. */
  readonly email: string;
  /** Name shown in reports and hand-off notes. */
  readonly displayName: string;
  /** The collaborator's organisation, e.g. the agency. @default - none recorded */
  readonly organization?: string;
  /** Who is behind the address. @default CollaboratorKind.SERVICE_ACCOUNT */
  readonly kind?: CollaboratorKind;
  /** Who asked for the access (IAM tracker). @default - none; each grant must then name one */
  readonly requestedBy?: string;
  /** Who approved it (IAM tracker). @default - none; each grant may name one */
  readonly approvedBy?: string;
  /** Request ticket or approval reference. @default - none; each grant must then name one */
  readonly ticket?: string;
}

/** The props of a SegmentCollaborator; also the collaborator fields of an access requests file. */
export const CollaboratorPropsSchema = z
  .object({
    email: emailSchema,
    displayName: nonEmpty('a display name'),
    organization: optionalText('an organisation name'),
    kind: z.enum(CollaboratorKind).default(CollaboratorKind.SERVICE_ACCOUNT),
    requestedBy: optionalText('who requested the access'),
    approvedBy: optionalText('who approved the access'),
    ticket: optionalText('a ticket or approval reference'),
  })
  .strict();

/**
 * The fix for a bad email, in the words of who is behind it: a person's own work address, or a
 * service account's shared one (the checklist's rule, SA-EMAIL-001). `kind` as the input gives it
 * (it may itself be invalid: then the default, a service account).
 */
export function emailFix(kind: unknown): string {
  switch (kind) {
    case CollaboratorKind.PERSON:
      return 'write the person\'s own work address, e.g. "priya.shah@agency.example".';
    case CollaboratorKind.CONTRACTOR:
      return 'write the contractor\'s work address, e.g. "jonas.weber@contractors.agency.example".';
    default:
      return 'write the service account\'s shared address (not a person\'s), e.g. "segment@agency.example"; for a named individual, set kind to PERSON.';
  }
}

/** The fix hints of a service account's props (the default kind). */
export const COLLABORATOR_FIX_HINTS: FixHints = collaboratorFixHints(undefined);

/** The kind the props declare, read without trusting them (they may be anything: parseInput says what is wrong). */
function declaredKind(props: unknown): unknown {
  try {
    return (props as { kind?: unknown } | null | undefined)?.kind;
  } catch {
    return undefined;
  }
}

/** Fix hints for a collaborator's props: the email's depends on its kind. */
export function collaboratorFixHints(kind: unknown): FixHints {
  return { email: emailFix(kind), kind: 'use CollaboratorKind.SERVICE_ACCOUNT, PERSON or CONTRACTOR.' };
}

/**
 * A person or service account that can be granted access to Segment workspaces.
 * It creates no Terraform by itself: WorkspaceGrants give it access.
 */
export class SegmentCollaborator extends Construct {
  public readonly email: string;
  public readonly displayName: string;
  public readonly organization?: string;
  public readonly kind: CollaboratorKind;
  public readonly requestedBy?: string;
  public readonly approvedBy?: string;
  public readonly ticket?: string;

  constructor(scope: Construct, id: string, props: SegmentCollaboratorProps) {
    assertNewChildId(scope, id, 'SegmentCollaborator');
    super(scope, id);
    const p = parseInput(CollaboratorPropsSchema, props, `SegmentCollaborator "${this.node.path}"`, collaboratorFixHints(declaredKind(props)));
    this.email = normalizeEmail(p.email);
    this.displayName = p.displayName;
    this.organization = p.organization;
    this.kind = p.kind;
    this.requestedBy = p.requestedBy;
    this.approvedBy = p.approvedBy;
    this.ticket = p.ticket;
  }

  public static isSegmentCollaborator(x: unknown): x is SegmentCollaborator {
    return x instanceof SegmentCollaborator;
  }
}
