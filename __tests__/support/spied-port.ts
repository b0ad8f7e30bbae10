import type { SegmentApiClient } from '../../api/client';
import type { SegmentPort } from '../../reconciler/segment-port';

const WRITES = new Set(['deleteUsers', 'replaceUserPermissions', 'createInvites', 'deleteInvites', 'createGroup', 'renameGroup', 'deleteGroup', 'replaceGroupPermissions', 'addGroupMembers', 'removeGroupMembers']);

/**
 * The client as the reconciler's port, recording which methods are called; `before` runs ahead of each
 * call and may throw (an injected failure) or change the emulator (someone else at work).
 */
export function spied(api: SegmentApiClient, before: (method: string, callIndex: number) => void = () => undefined): { port: SegmentPort; calls: string[]; writes: () => string[] } {
  const calls: string[] = [];
  const port = new Proxy(api as unknown as SegmentPort, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls.push(String(prop));
        before(String(prop), calls.length - 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { port, calls, writes: () => calls.filter((c) => WRITES.has(c)) };
}
