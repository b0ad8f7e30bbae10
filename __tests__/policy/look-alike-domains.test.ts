// Domain rules compared with look-alike addresses: each domain list matches an address's whole
// domain, never a suffix of it. Written for the hand-written mutants policy-allowlist-endswith and
// policy-sso-subdomain (scripts/hand-mutants.js): the "obvious" endsWith(domain) rewrite let an
// unapproved organisation through, and every earlier test used domains that differ completely.
import { CollaboratorKind, WorkspaceRole } from '../../model/enums';
import { collaborator } from '../support/fixtures';
import { findingsOf, setup, withoutContinueOnError } from './support';

withoutContinueOnError();

/** Addresses that end like agency.example, or contain it, but are not at it. */
const LOOK_ALIKES = ['bob@evil-agency.example', 'bob@notagency.example', 'bob@sub.agency.example', 'bob@agency.example.evil.test', 'bob@agency.examples'];

/** Who a rule flags among these addresses, each granted READ_ONLY in one workspace. */
function flagged(ruleId: string, emails: readonly string[], ws: Parameters<typeof setup>[0]): string[] {
  const { app, stack, ws: workspace } = setup(ws);
  emails.forEach((email, i) => workspace.addGrant(`P${i}`, { collaborator: collaborator(stack, `P${i}`, { email, kind: CollaboratorKind.SERVICE_ACCOUNT }), role: WorkspaceRole.READ_ONLY }));
  return findingsOf(app, ruleId).map((f) => f.subject!).sort();
}

describe('SA-EMAIL-002 (allow-list) matches the whole domain', () => {
  test('every look-alike of an allowed domain is outside the allow-list', () => {
    expect(flagged('SA-EMAIL-002', LOOK_ALIKES, { allowedEmailDomains: ['agency.example'] })).toEqual([...LOOK_ALIKES].sort());
  });

  test('the allowed domain itself passes, in any case', () => {
    expect(flagged('SA-EMAIL-002', ['bob@agency.example', 'Cy@AGENCY.Example'], { allowedEmailDomains: ['agency.example'] })).toEqual([]);
  });

  test('a subdomain passes only when it is listed itself', () => {
    expect(flagged('SA-EMAIL-002', ['bob@sub.agency.example', 'cy@agency.example'], { allowedEmailDomains: ['sub.agency.example'] })).toEqual(['cy@agency.example']);
  });
});

describe('SA-SSO-001 (SSO domains) matches the whole domain', () => {
  test('every look-alike of an SSO domain is outside it', () => {
    expect(flagged('SA-SSO-001', LOOK_ALIKES, { sso: { enforced: true, domains: ['agency.example'] } })).toEqual([...LOOK_ALIKES].sort());
  });

  test('the SSO domain itself passes, in any case', () => {
    expect(flagged('SA-SSO-001', ['bob@agency.example', 'Cy@Agency.EXAMPLE'], { sso: { enforced: true, domains: ['agency.example'] } })).toEqual([]);
  });
});

describe('SA-EMAIL-001 (personal mailboxes) matches the whole domain', () => {
  test('a provider look-alike is not a personal mailbox; the provider itself is, in any case', () => {
    expect(flagged('SA-EMAIL-001', ['ops@notgmail.com', 'ops@gmail.com.agency.example', 'ops@Gmail.COM'], {})).toEqual(['ops@gmail.com']);
  });
});
