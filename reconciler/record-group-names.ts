import { SegmentApiError } from '../api/errors';
import type { LiveGroup, SegmentPort } from './segment-port';

/** Segment refused a record group's name: nothing that changes anyone's access has been written. */
export class RecordGroupNameRefusedError extends Error {
  constructor(name: string, detail: string, firstWrite: boolean) {
    super(
      `Segment refused the record group name "${name}" (${name.length} characters): ${detail}. Segment documents no limit on ` +
        'user-group names; this workspace has one (the emulator reproduces it with its maxGroupNameLength setting). ' +
        (firstWrite ? 'Nothing was changed. ' : 'No access was changed: only record groups were written, which the next run reads as an interrupted run\'s. ') +
        'Fix: a shorter appId or recordPrefix (record names are <recordPrefix>:<appId>:...), or a shorter name for a granted group.',
    );
    this.name = 'RecordGroupNameRefusedError';
  }
}

/**
 * Creates a record group, the writes a run makes before it changes anyone's access. A 422 on the name
 * stops the run there, naming the behaviour it met.
 */
export async function createNamedGroup(api: SegmentPort, name: string, firstWrite: boolean): Promise<LiveGroup> {
  try {
    return await api.createGroup(name);
  } catch (error) {
    if (error instanceof SegmentApiError && error.status === 422 && error.errors.some((e) => e.field === undefined || e.field === 'name')) {
      throw new RecordGroupNameRefusedError(name, error.errors.map((e) => (e.message ?? e.type).replace(/\.$/, '')).join('; '), firstWrite);
    }
    throw error;
  }
}
