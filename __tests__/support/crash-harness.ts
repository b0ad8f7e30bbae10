import type { LiveAuditEvent, SegmentPort } from '../../reconciler/segment-port';

/** The executor "died": thrown by every call after the stop. */
export class StoppedError extends Error {
  constructor(readonly afterWrites: number) {
    super(`stopped after write ${afterWrites}`);
    this.name = 'StoppedError';
  }
}

const WRITES = [
  'deleteUsers',
  'replaceUserPermissions',
  'createInvites',
  'deleteInvites',
  'createGroup',
  'renameGroup',
  'deleteGroup',
  'replaceGroupPermissions',
  'addGroupMembers',
  'removeGroupMembers',
] as const;
type WriteMethod = (typeof WRITES)[number];

/**
 * A SegmentPort that lets the first `limit` writes through and then stops, as a process killed right
 * after its k-th API write: the k-th write is applied by Segment, nothing after it is sent.
 * `limit` Infinity counts the writes of an uninterrupted run.
 */
export class StopAfterWrites implements SegmentPort {
  public writes = 0;
  private stopped = false;

  constructor(
    private readonly inner: SegmentPort,
    private readonly limit: number,
  ) {}

  getWorkspace = () => this.read(() => this.inner.getWorkspace());
  listUsers = () => this.read(() => this.inner.listUsers());
  listInvites = () => this.read(() => this.inner.listInvites());
  listRoles = () => this.read(() => this.inner.listRoles());
  listGroups = () => this.read(() => this.inner.listGroups());
  listGroupUsers = (id: string) => this.read(() => this.inner.listGroupUsers(id));
  listGroupInvites = (id: string) => this.read(() => this.inner.listGroupInvites(id));
  listLabels = () => this.read(() => this.inner.listLabels());
  listAuditEvents = (range?: { startTime?: string }): Promise<LiveAuditEvent[]> => this.read(() => this.inner.listAuditEvents!(range));

  deleteUsers = (ids: string[]) => this.write('deleteUsers', ids);
  replaceUserPermissions = (id: string, p: Parameters<SegmentPort['replaceUserPermissions']>[1]) => this.write('replaceUserPermissions', id, p);
  createInvites = (invites: Parameters<SegmentPort['createInvites']>[0]) => this.write('createInvites', invites);
  deleteInvites = (emails: string[]) => this.write('deleteInvites', emails);
  createGroup = (name: string) => this.write('createGroup', name) as ReturnType<SegmentPort['createGroup']>;
  renameGroup = (id: string, name: string) => this.write('renameGroup', id, name);
  deleteGroup = (id: string) => this.write('deleteGroup', id);
  replaceGroupPermissions = (id: string, p: Parameters<SegmentPort['replaceGroupPermissions']>[1]) => this.write('replaceGroupPermissions', id, p);
  addGroupMembers = (id: string, emails: string[]) => this.write('addGroupMembers', id, emails);
  removeGroupMembers = (id: string, emails: string[]) => this.write('removeGroupMembers', id, emails);

  private async read<T>(call: () => Promise<T>): Promise<T> {
    if (this.stopped) throw new StoppedError(this.writes);
    return call();
  }

  private async write(method: WriteMethod, ...args: unknown[]): Promise<unknown> {
    if (this.stopped) throw new StoppedError(this.writes);
    const result = await (this.inner[method] as (...a: unknown[]) => Promise<unknown>).apply(this.inner, args);
    this.writes++;
    if (this.writes >= this.limit) {
      this.stopped = true;
      throw new StoppedError(this.writes);
    }
    return result;
  }
}
