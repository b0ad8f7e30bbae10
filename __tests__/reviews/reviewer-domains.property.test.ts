import { test } from '@fast-check/jest';
import { normalizeEmail } from '../../model/canonical';
import { assignReviewer, ReviewerListSchema } from '../../reviews/reviewers';
import { domainArb, emailVariantArb, localPartArb, mixedCase, SAME_DOMAIN } from '../support/look-alikes';
import { fc, numRuns } from '../properties/fast-check-config';

// A reviewer rule by `domains` takes the items whose address is at one of those domains, in any case,
// and no look-alike: a domain that ends or starts with it, its subdomains or parent, a trailing dot, a
// Unicode look-alike or a quoted local part holding it go to the default reviewer. Items carry
// addresses as the snapshot does (lower case, trimmed), live ones as Segment held them.

test('a domain rule routes exactly its domain\'s items, never a look-alike\'s', () => {
  const arb = fc
    .tuple(localPartArb, domainArb, fc.integer({ min: 0, max: 0x7fffffff }))
    .chain(([local, domain, mask]) => fc.tuple(fc.constant(mixedCase(domain, mask)), emailVariantArb(local, domain)));
  fc.assert(
    fc.property(arb, ([listed, variant]) => {
      const list = ReviewerListSchema.parse({ version: 1, default: 'security@acme.example', rules: [{ reviewer: 'partner-lead@acme.example', domains: [` ${listed} `] }] });
      const item = { environment: 'prod', email: normalizeEmail(variant.email), status: 'managed', role: 'READ_ONLY', kind: null, approvedBy: null, requestedBy: null };
      const reviewer = assignReviewer(item as unknown as Parameters<typeof assignReviewer>[0], list);
      expect({ ...variant, reviewer }).toEqual({ ...variant, reviewer: SAME_DOMAIN.includes(variant.kind) ? 'partner-lead@acme.example' : 'security@acme.example' });
    }),
    { numRuns: numRuns(300) },
  );
});
