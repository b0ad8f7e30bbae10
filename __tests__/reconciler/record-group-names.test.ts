// A record group's name refused by Segment (a workspace limit Segment does not document) stops the run
// at that write with what to shorten; any other failure passes through unchanged, to be retried or reported as itself.
import { SegmentApiError, type SegmentApiErrorDetail } from '../../api/errors';
import { createNamedGroup, RecordGroupNameRefusedError } from '../../reconciler/record-group-names';
import type { SegmentPort } from '../../reconciler/segment-port';

const NAME = 'segment-access:default:members:new';

function refusing(status: number, errors: SegmentApiErrorDetail[]): SegmentPort {
  const failure = new SegmentApiError({ message: 'refused', status, method: 'POST', path: '/groups', errors, retryable: false, attempts: 1 });
  return { createGroup: async () => Promise.reject(failure) } as unknown as SegmentPort;
}

describe('createNamedGroup', () => {
  test('creates the group and returns it when Segment accepts the name', async () => {
    const created = { id: 'g1', name: NAME, memberCount: 0 };
    const names: string[] = [];
    const port = { createGroup: async (name: string) => (names.push(name), created) } as unknown as SegmentPort;
    await expect(createNamedGroup(port, NAME, true)).resolves.toBe(created);
    expect(names).toEqual([NAME]);
  });

  test('a 422 on the name, at the first write: the name, its length, the detail, "Nothing was changed" and the fix', async () => {
    const attempt = createNamedGroup(refusing(422, [{ type: 'validation', field: 'name', message: 'Name is too long.' }]), NAME, true);
    await expect(attempt).rejects.toThrow(RecordGroupNameRefusedError);
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('RecordGroupNameRefusedError');
    expect(error.message).toBe(
      `Segment refused the record group name "${NAME}" (${NAME.length} characters): Name is too long. Segment documents no limit on ` +
        'user-group names; this workspace has one (the emulator reproduces it with its maxGroupNameLength setting). Nothing was changed. ' +
        'Fix: a shorter appId or recordPrefix (record names are <recordPrefix>:<appId>:...), or a shorter name for a granted group.',
    );
  });

  test('after other record writes it says no access was changed; a detail without a field counts as the name\'s; every detail is listed', async () => {
    const error = (await createNamedGroup(refusing(422, [{ type: 'too-long' }, { type: 'validation', field: 'description', message: 'Second.' }]), NAME, false).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RecordGroupNameRefusedError);
    expect(error.message).toContain(': too-long; Second. Segment documents no limit');
    expect(error.message).toContain("No access was changed: only record groups were written, which the next run reads as an interrupted run's. Fix:");
    expect(error.message).not.toContain('Nothing was changed');
  });

  test.each([
    ['a 422 on another field', 422, [{ type: 'validation', field: 'description', message: 'Bad.' }]],
    ['a 409', 409, [{ type: 'conflict', field: 'name', message: 'Exists.' }]],
    ['a 400 on the name', 400, [{ type: 'validation', field: 'name', message: 'Bad.' }]],
  ] as const)('%s passes through as the API error itself', async (_case, status, errors) => {
    const error = await createNamedGroup(refusing(status, [...errors]), NAME, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SegmentApiError);
    expect(error).not.toBeInstanceOf(RecordGroupNameRefusedError);
  });

  test('anything that is not an API error passes through unchanged', async () => {
    const boom = new TypeError('boom');
    const port = { createGroup: async () => Promise.reject(boom) } as unknown as SegmentPort;
    await expect(createNamedGroup(port, NAME, true)).rejects.toBe(boom);
  });
});
