/**
 * The record, kept in Segment itself, of what this code manages: permission-less user groups.
 * - `<prefix>:<fingerprint>`: managed collaborators last granted the permission set with that
 *   fingerprint (Segment cannot show a pending invite's permissions; this can).
 * - `<prefix>:group-grant:<group name>`: a user group whose permissions this code sets (no members).
 * Any machine can reconcile from it: there is no local state.
 */
export type RecordGroupName =
  | { readonly kind: 'collaborators'; readonly fingerprint: string }
  | { readonly kind: 'group-grant'; readonly groupName: string };

const FINGERPRINT = /^[0-9a-f]{12}$/;

export function collaboratorRecordName(prefix: string, fingerprint: string): string {
  return `${prefix}:${fingerprint}`;
}

export function groupGrantRecordName(prefix: string, groupName: string): string {
  return `${prefix}:group-grant:${groupName}`;
}

export function parseRecordName(prefix: string, name: string): RecordGroupName | undefined {
  if (!name.startsWith(`${prefix}:`)) return undefined;
  const rest = name.slice(prefix.length + 1);
  if (rest.startsWith('group-grant:')) {
    const groupName = rest.slice('group-grant:'.length);
    return groupName ? { kind: 'group-grant', groupName } : undefined;
  }
  return FINGERPRINT.test(rest) ? { kind: 'collaborators', fingerprint: rest } : undefined;
}
