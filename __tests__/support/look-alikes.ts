import { fc } from '@fast-check/jest';

// Look-alike inputs for the rules that compare user-given strings (domains, emails, group and record
// names): what a plausible rewrite of a comparison gets wrong. Each variant says how it relates to the
// original, so a property can say what the rule must and must not match.

/** How a variant relates to the original string. */
export enum LookAlike {
  /** The original itself. */
  EXACT = 'exact',
  /** Upper and lower case mixed. */
  CASE = 'case',
  /** Spaces around it. */
  PADDED = 'padded',
  /** A "+tag" on the local part (sub-addressing). */
  PLUS = 'plus',
  /** Another domain that ends with the original after a hyphen: `evil-acme.example`. */
  HYPHEN_PREFIX = 'hyphen-prefix',
  /** Another domain that ends with the original: `xacme.example`. */
  GLUED_PREFIX = 'glued-prefix',
  /** Another domain that starts with the original: `acme.example.evil`. */
  SUFFIX = 'suffix',
  /** A subdomain of the original: `sub.acme.example`. */
  SUBDOMAIN = 'subdomain',
  /** The original's parent domain: `example.com` for `acme.example.com`. */
  PARENT = 'parent',
  /** A trailing dot (the DNS root): `acme.example.`. */
  TRAILING_DOT = 'trailing-dot',
  /** One character replaced by a Unicode look-alike (Cyrillic, Greek, fullwidth, dotless i, Kelvin sign, NFKC forms). */
  CONFUSABLE = 'confusable',
  /** The original as the local part of an address at another domain: `acme.example@evil.example`. */
  DOMAIN_IN_LOCAL = 'domain-in-local',
  /** A quoted local part holding "@" and the original: `"ana@acme.example"@evil.example`. */
  QUOTED_AT = 'quoted-at',
}

/** Characters that look like an ASCII one (UTS #39 confusables), and compatibility forms NFKC folds to it. */
const CONFUSABLES: Readonly<Record<string, readonly string[]>> = {
  a: ['\u0430', '\u0251', '\u00e0'],
  c: ['\u0441', '\u03f2'],
  e: ['\u0435', '\u0117'],
  i: ['\u0456', '\u0131', '\u2170'],
  k: ['\u212a', '\u03ba'],
  l: ['\u04cf', '\u217c', '\u0406'],
  o: ['\u043e', '\u03bf', '\u0ce6'],
  p: ['\u0440', '\u03c1'],
  s: ['\u017f', '\u0455'],
  x: ['\u0445', '\u00d7'],
  y: ['\u0443'],
  '.': ['\u3002', '\uff0e', '\u2024'],
  '-': ['\u2010', '\uff0d', '\u2212'],
};

/** The fullwidth form of a printable ASCII character (NFKC folds it back). */
const fullwidth = (ch: string) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0);

/** Which look-alikes to use: any, only those NFKC folds back to the original, or only those it does not. */
export type Folding = 'any' | 'nfkc-folds' | 'distinct';

/** The string with the character at `at` replaced by one of its look-alikes (`pick` chooses which). */
export function confusableAt(text: string, at: number, pick: number, folding: Folding = 'any'): string {
  const i = at % text.length;
  const ch = text[i];
  const folds = (c: string) => c.normalize('NFKC').toLowerCase() === ch.toLowerCase();
  const options = [...(CONFUSABLES[ch.toLowerCase()] ?? []), fullwidth(ch)]
    .filter((c) => c !== ch)
    .filter((c) => folding === 'any' || (folding === 'nfkc-folds') === folds(c));
  return options.length ? text.slice(0, i) + options[pick % options.length] + text.slice(i + 1) : text;
}

/** Mixed case: each letter upper-cased where `mask` has a 1 bit. */
export function mixedCase(text: string, mask: number): string {
  return [...text].map((ch, i) => ((mask >> i % 31) & 1 ? ch.toUpperCase() : ch)).join('');
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{1,7}(-[a-z0-9]{1,5})?$/);

/** A domain of 2 to 4 labels ending in a letters-only top-level label (as email syntax needs). */
export const domainArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('example', 'com', 'io', 'co'))
  .map(([labels, tld]) => [...labels, tld].join('.'));

/** A local part email syntax accepts: letters, digits, ".", "_" and "-", no leading, trailing or double dot. */
export const localPartArb: fc.Arbitrary<string> = fc.stringMatching(/^[a-z0-9]([a-z0-9_-]{0,4}\.)?[a-z0-9_-]{0,6}[a-z0-9]$/);

export interface EmailVariant {
  readonly kind: LookAlike;
  readonly email: string;
}

/** An address that relates to `local@domain` as `kind` says (PARENT only for domains of 3 labels or more). */
export function emailVariantArb(local: string, domain: string, kinds: readonly LookAlike[] = Object.values(LookAlike)): fc.Arbitrary<EmailVariant> {
  const usable = kinds.filter((k) => k !== LookAlike.PARENT || domain.split('.').length >= 3);
  return fc
    .record({ kind: fc.constantFrom(...usable), mask: fc.integer({ min: 1, max: 0x7fffffff }), at: fc.nat(), pick: fc.nat(), tag: label, evil: label })
    .map(({ kind, mask, at, pick, tag, evil }): EmailVariant => {
      const email = (() => {
        switch (kind) {
          case LookAlike.EXACT:
            return `${local}@${domain}`;
          case LookAlike.CASE:
            return `${mixedCase(local, mask)}@${mixedCase(domain, mask >> 3 || 1)}`;
          case LookAlike.PADDED:
            return `  ${local}@${domain} `;
          case LookAlike.PLUS:
            return `${local}+${tag}@${domain}`;
          case LookAlike.HYPHEN_PREFIX:
            return `${local}@${evil}-${domain}`;
          case LookAlike.GLUED_PREFIX:
            return `${local}@${evil}${domain}`;
          case LookAlike.SUFFIX:
            return `${local}@${domain}.${evil.replace(/[^a-z]/g, '')}zz`;
          case LookAlike.SUBDOMAIN:
            return `${local}@${evil}.${domain}`;
          case LookAlike.PARENT:
            return `${local}@${domain.slice(domain.indexOf('.') + 1)}`;
          case LookAlike.TRAILING_DOT:
            return `${local}@${domain}.`;
          case LookAlike.CONFUSABLE:
            return `${local}@${confusableAt(domain, at, pick)}`;
          case LookAlike.DOMAIN_IN_LOCAL:
            return `${domain}@${evil}.example`;
          case LookAlike.QUOTED_AT:
            return `"${local}@${domain}"@${evil}.example`;
        }
      })();
      return { kind, email };
    });
}

/** Variants that name the same mailbox's domain (the rule must treat them as the original). */
export const SAME_DOMAIN: readonly LookAlike[] = [LookAlike.EXACT, LookAlike.CASE, LookAlike.PADDED, LookAlike.PLUS];
/** Variants email validation refuses outright (never reach a rule). */
export const REFUSED_AS_EMAIL: readonly LookAlike[] = [LookAlike.TRAILING_DOT, LookAlike.CONFUSABLE, LookAlike.QUOTED_AT];
