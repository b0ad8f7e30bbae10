import { test } from '@fast-check/jest';
import { CollaboratorKind } from '../../model/enums';
import { PERSONAL_EMAIL_DOMAINS } from '../../policy/rules/email';
import { domainArb, emailVariantArb, localPartArb, LookAlike, mixedCase, REFUSED_AS_EMAIL, SAME_DOMAIN } from '../support/look-alikes';
import { fc, numRuns } from '../properties/fast-check-config';
import { verdictOf, type Verdict } from './support';

// The domain rules against look-alike addresses: an allowed (or SSO, or personal-mailbox) domain
// matches itself in any case, with spaces around the address or a +tag on its local part, and nothing
// else: not a domain that ends or starts with it, not its subdomains or parent, not a Unicode
// look-alike. Email validation refuses trailing dots, non-ASCII look-alikes and quoted local parts
// holding "@" before any rule sees them.

/** For a rule that lets only its listed domains through (allow-list, SSO). */
function listedOnly(kind: LookAlike): Verdict {
  if (SAME_DOMAIN.includes(kind)) return 'clean';
  return REFUSED_AS_EMAIL.includes(kind) ? 'refused' : 'finding';
}

const caseMask = fc.integer({ min: 0, max: 0x7fffffff });
const scenario = (domains: fc.Arbitrary<string>) =>
  fc
    .tuple(localPartArb, domains, caseMask)
    .chain(([local, domain, mask]) => fc.tuple(fc.constant({ domain, mask }), emailVariantArb(local, domain)));

test('SA-EMAIL-002: an allowed domain matches itself in any case, and no look-alike (workspace or app-wide list)', () => {
  fc.assert(
    fc.property(scenario(domainArb), fc.boolean(), ([{ domain, mask }, variant], appWide) => {
      const listed = [mixedCase(domain, mask), 'other.example'];
      const verdict = appWide
        ? verdictOf('SA-EMAIL-002', variant.email, {}, { allowedEmailDomains: listed })
        : verdictOf('SA-EMAIL-002', variant.email, { allowedEmailDomains: listed });
      expect({ ...variant, verdict }).toEqual({ ...variant, verdict: listedOnly(variant.kind) });
    }),
    { numRuns: numRuns(200) },
  );
});

test('SA-SSO-001: an SSO domain matches itself in any case, and no look-alike', () => {
  fc.assert(
    fc.property(scenario(domainArb), ([{ domain, mask }, variant]) => {
      const verdict = verdictOf('SA-SSO-001', variant.email, { sso: { enforced: true, domains: ['other.example', mixedCase(domain, mask)] } });
      expect({ ...variant, verdict }).toEqual({ ...variant, verdict: listedOnly(variant.kind) });
    }),
    { numRuns: numRuns(150) },
  );
});

test('SA-EMAIL-001: a personal mailbox provider is recognised in any case, and a look-alike organisation is not taken for one', () => {
  fc.assert(
    fc.property(scenario(fc.constantFrom(...PERSONAL_EMAIL_DOMAINS)), ([{ domain }, variant]) => {
      const verdict = verdictOf('SA-EMAIL-001', variant.email, {}, {}, CollaboratorKind.SERVICE_ACCOUNT);
      const expected: Verdict = SAME_DOMAIN.includes(variant.kind) ? 'finding' : REFUSED_AS_EMAIL.includes(variant.kind) ? 'refused' : 'clean';
      expect({ domain, ...variant, verdict }).toEqual({ domain, ...variant, verdict: expected });
    }),
    { numRuns: numRuns(150) },
  );
});
