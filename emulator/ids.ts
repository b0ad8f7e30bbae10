import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SEGMENT_ID_LENGTH = 27;

/**
 * A 27-character base62 id, the shape of Segment's KSUID-style ids, derived from
 * `material` so the same seed and the same calls always produce the same ids.
 */
export function segmentStyleId(material: string): string {
  let remaining = BigInt('0x' + createHash('sha256').update(material).digest('hex'));
  let id = '';
  while (id.length < SEGMENT_ID_LENGTH) {
    id = BASE62[Number(remaining % 62n)] + id;
    remaining /= 62n;
  }
  return id;
}
