import { test } from '@fast-check/jest';
import { App, TerraformStack } from '../../framework';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { CollaboratorKind, WorkspaceRole } from '../../model/enums';
import { collaborator, workspace } from '../support/fixtures';
import { personVariantArb } from '../support/same-person-variants';
import { TEST_NOW } from '../support/synth';
import { fc, numRuns } from '../properties/fast-check-config';
import { findingsOf } from './support';

// Separation of duties against look-alike people: a requester or approver is the grantee when the
// address reaches the grantee's mailbox (any case, spaces around it, a +tag, fullwidth letters NFKC
// folds), and someone else when it is another address (another domain or subdomain, a longer local
// part, a letter from another script, a quoted local part holding the grantee's address).

function findings(ruleId: string, grantee: string, audit: { requestedBy: string; approvedBy?: string }, role = WorkspaceRole.READ_ONLY): number {
  const app = new App({ context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
  const stack = new TerraformStack(app, 'prod');
  workspace(stack).addGrant('Ana', {
    collaborator: collaborator(stack, 'Ana', { email: grantee, kind: CollaboratorKind.PERSON, ...audit }),
    role,
    expiresOn: '2027-01-31',
    justification: 'Needed for the engagement.',
  });
  return findingsOf(app, ruleId).length;
}

test('SA-SOD-001: the requester is the grantee exactly when the address reaches the same mailbox', () => {
  fc.assert(
    fc.property(personVariantArb, ({ address, variant }) => {
      const found = findings('SA-SOD-001', address, { requestedBy: variant.typed, approvedBy: 'cto@acme.example' });
      expect({ ...variant, found }).toEqual({ ...variant, found: variant.same ? 1 : 0 });
    }),
    { numRuns: numRuns(150) },
  );
});

test('SA-SOD-002: an ADMIN grant approved by a look-alike of its requester or grantee is judged by the mailbox', () => {
  fc.assert(
    fc.property(personVariantArb, fc.boolean(), ({ address, variant }, ofRequester) => {
      const audit = ofRequester
        ? { requestedBy: address, approvedBy: variant.typed }
        : { requestedBy: 'lead@acme.example', approvedBy: variant.typed };
      // The grantee is another person when the approver stands in for the requester.
      const grantee = ofRequester ? 'grantee@agency.example' : address;
      const found = findings('SA-SOD-002', grantee, audit, WorkspaceRole.ADMIN);
      expect({ ...variant, ofRequester, found }).toEqual({ ...variant, ofRequester, found: variant.same ? 1 : 0 });
    }),
    { numRuns: numRuns(150) },
  );
});
