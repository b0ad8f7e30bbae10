/**
 * The record, kept in Segment itself, of what this code manages: permission-less user groups.
 * - `<prefix>:<fingerprint>:<YYYY-MM-DD>`: managed collaborators granted, on that day, the permission
 *   set with that fingerprint. Segment shows neither a pending invite's permissions nor its age;
 *   this record does (invites expire after 7 days).
 * - `<prefix>:<fingerprint>`: the same, for members who have all accepted (the day no longer matters).
 * - `<prefix>:group-grant:<group name>`: a user group whose permissions this code sets (no members).
 * Any machine can reconcile from it: there is no local state.
 */
export type RecordGroupName =
  | { readonly kind: 'collaborators'; readonly fingerprint: string; readonly day: string | null }
  | { readonly kind: 'group-grant'; readonly groupName: string };

const COLLABORATORS = /^([0-9a-f]{12})(?::(\d{4}-\d{2}-\d{2}))?$/;

export function collaboratorRecordName(prefix: string, fingerprint: string, day: string): string {
  return `${prefix}:${fingerprint}:${day}`;
}

/** Where accepted members end up: their day no longer matters once they are users (see compaction in plan.ts). */
export function settledCollaboratorRecordName(prefix: string, fingerprint: string): string {
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
  const m = COLLABORATORS.exec(rest);
  return m ? { kind: 'collaborators', fingerprint: m[1], day: m[2] ?? null } : undefined;
}

/** The UTC day an instant falls on: the granularity of the record. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
