import { fc } from '@fast-check/jest';
import { confusableAt, domainArb, localPartArb, mixedCase } from './look-alikes';

// Addresses that are, or only look like, one person's: the inputs of the separation-of-duties
// comparisons (requester, approver, reviewer against the grantee).

export interface PersonVariant {
  readonly kind: string;
  /** The address as someone typed it. */
  readonly typed: string;
  /** Whether it reaches the same mailbox. */
  readonly same: boolean;
}

const tagArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);

/** `local@domain` and an address that relates to it as `kind` says. */
export const personVariantArb: fc.Arbitrary<{ address: string; variant: PersonVariant }> = fc
  .tuple(localPartArb, domainArb, tagArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 0x7fffffff }))
  .chain(([local, domain, tag, at, pick, mask]) => {
    const address = `${local}@${domain}`;
    const variants: PersonVariant[] = [
      { kind: 'exact', typed: address, same: true },
      { kind: 'case', typed: mixedCase(address, mask), same: true },
      { kind: 'padded', typed: ` ${address}  `, same: true },
      { kind: 'plus', typed: `${local}+${tag}@${domain}`, same: true },
      { kind: 'fullwidth', typed: confusableAt(address, at, pick, 'nfkc-folds'), same: true },
      { kind: 'confusable', typed: confusableAt(address.replace(/@.*/, ''), at, pick, 'distinct') + address.slice(local.length), same: false },
      { kind: 'longer local', typed: `${local}x@${domain}`, same: false },
      { kind: 'hyphen prefix', typed: `${local}@${tag}-${domain}`, same: false },
      { kind: 'subdomain', typed: `${local}@${tag}.${domain}`, same: false },
      { kind: 'suffix', typed: `${local}@${domain}.zz`, same: false },
      { kind: 'quoted at', typed: `"${address}"@other.example`, same: false },
    ];
    return fc.record({ address: fc.constant(address), variant: fc.constantFrom(...variants) });
  })
  // A confusable that found nothing to replace is the address itself.
  .filter(({ address, variant }) => variant.same || variant.typed.trim().toLowerCase() !== address);
