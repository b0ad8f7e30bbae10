import { test } from '@fast-check/jest';
import { verifyApprovals } from '../../approvals/verify-approvals';
import type { AccessRequests } from '../../requests/load';
import { personVariantArb } from '../support/same-person-variants';
import { fc, numRuns } from '../properties/fast-check-config';

// approvals verify ties `approvedBy` to the GitHub login mapped to that address: it verifies only the
// mapped address itself (any case, spaces around it). Unlike separation of duties, which errs towards
// "same person", it errs towards "not verified": a +tag, fullwidth letters, another domain or a
// look-alike letter is not the approver, so the grant is reported unapproved.

const EXACTLY: readonly string[] = ['exact', 'case', 'padded'];

test('an approval is verified only for the address the login is mapped to', () => {
  fc.assert(
    fc.property(personVariantArb, fc.constantFrom('cto-gh', 'CTO-gh'), ({ address, variant }, reviewLogin) => {
      const head = {
        version: 1,
        collaborators: [{ id: 'Ana', email: 'ana@agency.example', displayName: 'Ana', requestedBy: 'lead@acme.example', ticket: 'ACCESS-1', grant: { role: 'READ_ONLY', approvedBy: variant.typed } }],
      } as unknown as AccessRequests;
      const approved = new Map([[reviewLogin.toLowerCase(), '2026-11-27T10:00:00Z']]);
      const approvers = new Map([['cto-gh', address]]);
      const results = verifyApprovals(undefined, head, approved, approvers);
      expect(results.length).toBeGreaterThan(0);
      const verified = results.every((r) => r.ok);
      expect({ ...variant, verified }).toEqual({ ...variant, verified: EXACTLY.includes(variant.kind) });
    }),
    { numRuns: numRuns(300) },
  );
});
