import { test } from '@fast-check/jest';
import { AccessRequestsSchema } from '../../requests/schema';
import { domainArb, emailVariantArb, localPartArb, LookAlike } from '../support/look-alikes';
import { fc, numRuns } from '../properties/fast-check-config';

// One entry per email in access.yaml: a second entry is the same person's when its address differs
// only in case or surrounding spaces (refused, pointing at the first); a +tag, another domain or a
// subdomain is another Segment member (allowed); a trailing dot, a Unicode look-alike or a quoted local
// part is no address at all (refused as an email, not as a duplicate).

const entry = (id: string, email: string) => ({ id, email, displayName: id, requestedBy: 'lead@acme.example', ticket: 'ACCESS-1', grant: { role: 'READ_ONLY' } });
const SAME: readonly LookAlike[] = [LookAlike.EXACT, LookAlike.CASE, LookAlike.PADDED];

test('a second entry is a duplicate exactly when its address is the first one\'s', () => {
  const arb = fc.tuple(localPartArb, domainArb).chain(([local, domain]) => fc.tuple(fc.constant(`${local}@${domain}`), emailVariantArb(local, domain)));
  fc.assert(
    fc.property(arb, ([first, variant]) => {
      const parsed = AccessRequestsSchema.safeParse({ version: 1, collaborators: [entry('First', first), entry('Second', variant.email)] });
      const issues = parsed.success ? [] : parsed.error.issues.filter((i) => i.path.join('.') === 'collaborators.1.email');
      const duplicate = issues.some((i) => i.message.includes('already used by collaborators.0'));
      expect({ ...variant, duplicate }).toEqual({ ...variant, duplicate: SAME.includes(variant.kind) });
    }),
    { numRuns: numRuns(300) },
  );
});
