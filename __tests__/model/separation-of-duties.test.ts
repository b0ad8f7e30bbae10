// model/separation-of-duties.ts on its own: the privilege order overrides are judged by, and who
// counts as the same person (look-alike addresses included).
import fc from 'fast-check';
import { WorkspaceRole } from '../../model/enums';
import { DEFAULT_PRIVILEGED_ROLES, SodRuleId, mailboxOf, privilegeRank, samePerson } from '../../model/separation-of-duties';

describe('rule ids and defaults', () => {
  test('the rule ids are stable API', () => {
    expect([SodRuleId.REQUESTER_NOT_GRANTEE, SodRuleId.INDEPENDENT_APPROVER, SodRuleId.RAISED_OVERRIDE_APPROVED]).toEqual(['SA-SOD-001', 'SA-SOD-002', 'SA-SOD-003']);
  });

  test('OWNER and ADMIN are privileged by default, and the default cannot be changed in place', () => {
    expect(DEFAULT_PRIVILEGED_ROLES).toEqual([WorkspaceRole.OWNER, WorkspaceRole.ADMIN]);
    expect(Object.isFrozen(DEFAULT_PRIVILEGED_ROLES)).toBe(true);
  });
});

describe('privilegeRank', () => {
  test('OWNER > ADMIN > MEMBER = CUSTOM > READ_ONLY', () => {
    expect(privilegeRank(WorkspaceRole.OWNER)).toBe(4);
    expect(privilegeRank(WorkspaceRole.ADMIN)).toBe(3);
    expect(privilegeRank(WorkspaceRole.MEMBER)).toBe(2);
    expect(privilegeRank(WorkspaceRole.CUSTOM)).toBe(2);
    expect(privilegeRank(WorkspaceRole.READ_ONLY)).toBe(1);
  });

  test('moving from READ_ONLY to a non-admin CUSTOM grant is a raise; MEMBER to CUSTOM is not', () => {
    expect(privilegeRank(WorkspaceRole.CUSTOM)).toBeGreaterThan(privilegeRank(WorkspaceRole.READ_ONLY));
    expect(privilegeRank(WorkspaceRole.CUSTOM)).toBe(privilegeRank(WorkspaceRole.MEMBER));
  });
});

describe('mailboxOf', () => {
  test('case, surrounding spaces and compatibility forms fold', () => {
    expect(mailboxOf('  Priya@Example.COM ')).toBe('priya@example.com');
    expect(mailboxOf('ｐｒｉｙａ@ｅｘａｍｐｌｅ.com')).toBe('priya@example.com');
  });

  test('a +tag sub-address is its mailbox; only the first "+" starts the tag', () => {
    expect(mailboxOf('priya+segment@example.com')).toBe('priya@example.com');
    expect(mailboxOf('priya+a+b@example.com')).toBe('priya@example.com');
    expect(mailboxOf('priya+@example.com')).toBe('priya@example.com');
  });

  test('a "+" that starts the local part is not a tag (there would be no mailbox left)', () => {
    expect(mailboxOf('+tag@example.com')).toBe('+tag@example.com');
  });

  test('the domain is what follows the last "@", and a "+" in it is kept', () => {
    expect(mailboxOf('"a+x@b"@example.com')).toBe('"a@example.com');
    expect(mailboxOf('a@b+c.com')).toBe('a@b+c.com');
    expect(mailboxOf('a+x@b@c.com')).toBe('a@c.com');
  });

  test('something that is not an address is only folded', () => {
    expect(mailboxOf(' Priya+X ')).toBe('priya+x');
    expect(mailboxOf('@example.com')).toBe('@example.com');
  });
});

describe('samePerson', () => {
  test('missing on either side is never the same person', () => {
    for (const [a, b] of [
      [undefined, undefined],
      [null, null],
      ['a@x.com', undefined],
      [undefined, 'a@x.com'],
      [null, 'a@x.com'],
      ['a@x.com', null],
    ] as const)
      expect(samePerson(a, b)).toBe(false);
  });

  test('look-alikes of one mailbox are one person; different mailboxes or domains are not', () => {
    expect(samePerson('priya@example.com', 'PRIYA+review@Example.com ')).toBe(true);
    expect(samePerson('priya@example.com', 'priya@example.co')).toBe(false);
    expect(samePerson('priya@example.com', 'priya@sub.example.com')).toBe(false);
    expect(samePerson('priya@example.com', 'priyanka@example.com')).toBe(false);
    expect(samePerson('priya@example.com', 'priya.@example.com')).toBe(false);
  });

  test('property: an address and any tagged, re-cased, padded form of it are one person', () => {
    const local = fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/);
    const domain = fc.stringMatching(/^[a-z]{1,8}\.(com|io|co\.uk)$/);
    const tag = fc.stringMatching(/^[a-z0-9+]{0,6}$/);
    fc.assert(
      fc.property(local, domain, tag, fc.boolean(), (l, d, t, upper) => {
        const base = `${l}@${d}`;
        const variant = ` ${upper ? `${l}+${t}@${d}`.toUpperCase() : `${l}+${t}@${d}`}\t`;
        expect(samePerson(base, variant)).toBe(true);
        expect(samePerson(variant, base)).toBe(true);
      }),
    );
  });

  test('property: addresses with different mailboxes are different people', () => {
    const local = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    fc.assert(
      fc.property(local, local, fc.stringMatching(/^[a-z]{1,8}\.com$/), (a, b, d) => {
        fc.pre(a !== b);
        expect(samePerson(`${a}@${d}`, `${b}@${d}`)).toBe(false);
        expect(samePerson(`${a}@${d}`, `${a}@x${d}`)).toBe(false);
      }),
    );
  });
});
