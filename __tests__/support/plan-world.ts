import { onWorkspace } from './desired';
import type { RecordOp } from '../../reconciler/plan';
import { parseRecordName } from '../../reconciler/records';
import { event, user } from './live';

// The cast of the planner's record tests: a deploy token, a person editing records by hand, two
// permission sets, and the audit events each of them leaves.

export const NOW = { now: new Date('2026-11-27T12:00:00Z') };
export const READER = onWorkspace('Minimal Workspace Access', 'Source Read-only');
export const ADMIN = onWorkspace('Minimal Workspace Access', 'Source Admin');
export const MEMBERS = 'segment-access:default:members';
export const OWNER = user('boss@acme.example', 'Workspace Owner');
export const ANA = 'ana@agency.example';
export const BO = 'bo@agency.example';
export const CY = 'cy@agency.example';
/** The actor of this app's deploys in the audit trail. */
export const TOKEN = 'token:deploy';
/** Someone with workspace access, editing groups in the Segment app. */
export const PERSON = 'ops@acme.example';

/** The name of this app's dated record of pending invites with fingerprint `fp`. */
export const dated = (fp: string, day = '2026-11-20') => `segment-access:default:invited:${fp}:${day}`;

export const created = (name: string, at: number, actor = TOKEN) => event('User Group Created', `g_${name}`, name, actor, at);
export const invited = (email: string, at: number, actor = TOKEN) => event('New Segment User Invited to Workspace', email, email, actor, at);
export const addedByHand = (name: string, at: number) => event('Subjects Added to Group', `g_${name}`, name, PERSON, at, PERSON);

/** The op that creates the record group with this key (its name without signature). */
export const createRecord = (name: string): RecordOp => ({ kind: 'create-record', name, record: parseRecordName('segment-access', name)!.record });
