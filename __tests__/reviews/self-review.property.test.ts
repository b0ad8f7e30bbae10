import { test } from '@fast-check/jest';
import { isSelfReview } from '../../reviews/review-file';
import { personVariantArb } from '../support/same-person-variants';
import { fc, numRuns } from '../properties/fast-check-config';

// A reviewer certifying their own access is a self-review (it needs selfReviewReason) exactly when
// the reviewer's address reaches the grantee's mailbox: any case, spaces, a +tag, fullwidth letters;
// another domain, subdomain, local part or script is another reviewer.

test('a self-review is recognised by mailbox, never by a look-alike', () => {
  fc.assert(
    fc.property(personVariantArb, ({ address, variant }) => {
      const self = isSelfReview({ reviewer: variant.typed, snapshot: { email: address } } as Parameters<typeof isSelfReview>[0]);
      expect({ ...variant, self }).toEqual({ ...variant, self: variant.same });
    }),
    { numRuns: numRuns(300) },
  );
});

test('an item without a reviewer, or about a group, is no self-review', () => {
  expect(isSelfReview({ reviewer: null, snapshot: { email: 'ana@agency.example' } } as Parameters<typeof isSelfReview>[0])).toBe(false);
  expect(isSelfReview({ reviewer: 'ana@agency.example', snapshot: { email: null } } as Parameters<typeof isSelfReview>[0])).toBe(false);
});
