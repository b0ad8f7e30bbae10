import {
  compactStamp,
  groupGrantRecordName,
  intentRecordName,
  invitedRecordName,
  looksLikeOwnRecord,
  membersRecordName,
  parseCompactStamp,
  parseRecordName,
  RecordKind,
} from '../../reconciler/records';

const P = 'segment-access';
const FP = '0123456789ab';

describe('record group names', () => {
  test('every name this version writes parses back to what it records', () => {
    const at = new Date('2026-11-27T12:34:56.789Z');
    expect(parseRecordName(P, membersRecordName(P, 'web-team'))).toEqual({ kind: RecordKind.MEMBERS, app: 'web-team' });
    expect(parseRecordName(P, invitedRecordName(P, 'web-team', FP, '2026-11-27'))).toEqual({ kind: RecordKind.INVITED, app: 'web-team', fingerprint: FP, day: '2026-11-27' });
    expect(parseRecordName(P, groupGrantRecordName(P, 'web-team', 'Eng: Analytics'))).toEqual({ kind: RecordKind.GROUP_GRANT, app: 'web-team', groupName: 'Eng: Analytics' });
    expect(intentRecordName(P, 'web-team', at, 'aaaaaaaaaaaa')).toBe('segment-access:web-team:intent:20261127T123456Z:aaaaaaaaaaaa');
    expect(parseRecordName(P, intentRecordName(P, 'web-team', at, 'aaaaaaaaaaaa'))).toEqual({ kind: RecordKind.INTENT, app: 'web-team', startedAt: '20261127T123456Z', digest: 'aaaaaaaaaaaa' });
    expect(parseCompactStamp(compactStamp(at)).toISOString()).toBe('2026-11-27T12:34:56.000Z');
  });

  test('names written before app ids are read as legacy records', () => {
    expect(parseRecordName(P, `${P}:${FP}:2026-11-20`)).toEqual({ kind: 'legacy-collaborators', app: null, fingerprint: FP, day: '2026-11-20' });
    expect(parseRecordName(P, `${P}:${FP}`)).toEqual({ kind: 'legacy-collaborators', app: null, fingerprint: FP, day: null });
    expect(parseRecordName(P, `${P}:group-grant:Admins`)).toEqual({ kind: 'legacy-group-grant', app: null, groupName: 'Admins' });
  });

  test.each([
    'segment-access',
    'segment-access:',
    'Segment-Access:web-team:members',
    'other-prefix:web-team:members',
    'segment-access:web-team',
    'segment-access:web-team:members:extra',
    'segment-access:web-team:invited:0123456789ab',
    'segment-access:web-team:invited:nothex123456:2026-11-20',
    'segment-access:web-team:invited:0123456789ab:20261120',
    'segment-access:web-team:intent:2026-11-27:aaaaaaaaaaaa',
    'segment-access:web-team:group-grant:',
    'segment-access:Web-Team:members',
    'segment-access:web-team:owners',
    'segment-access:0123456789ab:2026-1-20',
  ])('%j is not a record name', (name) => {
    expect(parseRecordName(P, name)).toBeUndefined();
  });

  test('a name under the app that no version writes is recognised as the app\'s own, edited by hand', () => {
    expect(looksLikeOwnRecord(P, 'web-team', 'segment-access:web-team:invited:oops')).toBe(true);
    expect(looksLikeOwnRecord(P, 'web-team', 'segment-access:web-team:members')).toBe(false);
    expect(looksLikeOwnRecord(P, 'web-team', 'segment-access:data-team:oops')).toBe(false);
  });

  test('the prefix may contain ":" and still separates apps', () => {
    const prefix = 'acme:sa';
    expect(parseRecordName(prefix, membersRecordName(prefix, 'web-team'))).toEqual({ kind: RecordKind.MEMBERS, app: 'web-team' });
    expect(parseRecordName(prefix, 'acme:sa2:web-team:members')).toBeUndefined();
  });
});
