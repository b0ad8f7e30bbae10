import { Construct } from 'constructs';
import { z } from 'zod';
import { CollaboratorKind } from '../model/enums';
import { normalizeEmail } from '../model/canonical';
import { parseInput } from '../model/validation';
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

export const COLLABORATOR_FIX_HINTS = {
  email: 'use the collaborator\'s service account address, e.g. "segment@agency.example".',
  kind: 'use CollaboratorKind.SERVICE_ACCOUNT, PERSON or CONTRACTOR.',
};

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
    const p = parseInput(CollaboratorPropsSchema, props, `SegmentCollaborator "${this.node.path}"`, COLLABORATOR_FIX_HINTS);
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
