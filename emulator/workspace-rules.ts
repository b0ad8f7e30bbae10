import { AcceptedInviteAccess, BatchDeleteUnknown, DuplicateGroupNames, ExistingInvitee } from './behaviours';
import { EmailRules, emailRules } from './emails';
import { notFoundError } from './errors';
import type { EmulatorSettings } from './settings';

/** The undocumented behaviours workspace writes follow, taken from the emulator's settings. */
export interface WorkspaceRules {
  readonly emails: EmailRules;
  readonly batchDeleteUnknown: BatchDeleteUnknown;
  readonly duplicateGroupNames: DuplicateGroupNames;
  readonly maxGroupNameLength: number;
  readonly existingInvitee: ExistingInvitee;
  readonly acceptedInviteAccess: AcceptedInviteAccess;
  readonly customLabelLimit: number | null;
}

export function workspaceRules(settings: EmulatorSettings): WorkspaceRules {
  return {
    emails: emailRules(settings.emailCase),
    batchDeleteUnknown: settings.batchDeleteUnknown,
    duplicateGroupNames: settings.duplicateGroupNames,
    maxGroupNameLength: settings.maxGroupNameLength,
    existingInvitee: settings.existingInvitee,
    acceptedInviteAccess: settings.acceptedInviteAccess,
    customLabelLimit: settings.customLabelLimit,
  };
}

/**
 * The items of a batch delete that exist. Unknown ones refuse the whole call (404) or are ignored,
 * as `batchDeleteUnknown` says.
 */
export function knownForBatchDelete<T>(items: readonly T[], isKnown: (item: T) => boolean, rules: WorkspaceRules, unknownMessage: (unknown: T[]) => string, field: string): T[] {
  const unknown = items.filter((item) => !isKnown(item));
  if (unknown.length > 0 && rules.batchDeleteUnknown === BatchDeleteUnknown.REFUSE_WHOLE_CALL) throw notFoundError(unknownMessage(unknown), field);
  return items.filter(isKnown);
}
