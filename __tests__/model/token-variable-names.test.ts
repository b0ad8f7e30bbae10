// model/token-variable-names.ts on its own: telling a token variable's NAME from a token, at each
// boundary (prefix, length, word length, digits in a word, entropy) and for the naming convention.
import fc from 'fast-check';
import {
  DEFAULT_TOKEN_VARIABLE,
  MAX_ENV_VAR_NAME_LENGTH,
  TOKEN_VARIABLE_CONVENTION,
  displayableVariableName,
  isConventionalEnvVarName,
  isTokenVariableName,
  looksLikeSecret,
} from '../../model/token-variable-names';

describe('looksLikeSecret', () => {
  test.each(['sark_abc', 'sgp_abc', 'ghp_x', 'gho_x', 'ghs_x', 'ghu_x', 'github_pat_x', 'glpat-x', 'xoxb-x', 'xoxp-x', 'sk-x', 'AKIAX', 'npm_x'])(
    'a known token prefix is a secret, however short: %s',
    (value) => {
      expect(looksLikeSecret(value)).toBe(true);
      expect(looksLikeSecret(value.toUpperCase())).toBe(true);
    },
  );

  test('a prefix counts only at the start', () => {
    expect(looksLikeSecret('MY_SGP_TOKEN')).toBe(false);
    expect(looksLikeSecret('X_GHP_TOKEN')).toBe(false);
  });

  test('length: 64 characters may be a name, 65 never is (counted in characters, not UTF-16 units)', () => {
    const name64 = 'ABCD_'.repeat(13).slice(0, MAX_ENV_VAR_NAME_LENGTH);
    expect(name64).toHaveLength(64);
    expect(looksLikeSecret(name64)).toBe(false);
    expect(looksLikeSecret(`${name64}E`)).toBe(true);
    // 43 characters, 83 UTF-16 units (astral characters in short words): not too long.
    expect(looksLikeSecret(Array(4).fill('\u{1F600}'.repeat(10)).join('_'))).toBe(false);
  });

  test('a word of 24 letters is a secret, 23 is not; any separator splits words', () => {
    expect(looksLikeSecret('A'.repeat(23))).toBe(false);
    expect(looksLikeSecret('A'.repeat(24))).toBe(true);
    for (const sep of ['_', '-', '.', ' ']) expect(looksLikeSecret(`${'A'.repeat(20)}${sep}${'B'.repeat(20)}`)).toBe(false);
  });

  test('a word of 16+ characters mixing letters and digits is a secret; 15, or letters or digits alone, is not', () => {
    expect(looksLikeSecret('ABCDEFGHIJKLMN1O')).toBe(true);
    expect(looksLikeSecret('X_ABCDEFGHIJKLMN1O')).toBe(true);
    expect(looksLikeSecret('ABCDEFGHIJKLMN1')).toBe(false);
    expect(looksLikeSecret('ABCDEFGHIJKLMNOP')).toBe(false);
    expect(looksLikeSecret('1234567890123456')).toBe(false);
  });

  test('a long high-entropy mixed-case string with digits is a secret, at each boundary', () => {
    // 20 characters, all distinct (4.32 bits each), words of 10: the entropy rule alone decides.
    expect(looksLikeSecret('aB3cD4eF5g.H6iJ7kL8m')).toBe(true);
    expect(looksLikeSecret('aB3cD4eF5.H6iJ7kL8m')).toBe(false); // 19 characters
    expect(looksLikeSecret('aB3.cD4.eF5.gH6.iJ7k')).toBe(false); // 20 characters, 3.92 bits
    // Exactly 4 bits per character (16 symbols twice each): the boundary is included.
    expect(looksLikeSecret('aB3cD4eF5g.H6iJ7'.repeat(2))).toBe(true);
    // Each character class is required.
    expect(looksLikeSecret('ab3cd4ef5g.h6ij7kl8m')).toBe(false);
    expect(looksLikeSecret('AB3CD4EF5G.H6IJ7KL8M')).toBe(false);
    expect(looksLikeSecret('aBcDeFgHiJ.kLmNoPqRs')).toBe(false);
  });

  test('ordinary names are not secrets', () => {
    for (const name of [DEFAULT_TOKEN_VARIABLE, 'SEGMENT_PROD_TOKEN', 'SEGMENT_STAGING_EU_TOKEN', 'GITHUB_TOKEN', '']) expect(looksLikeSecret(name)).toBe(false);
  });

  test('property: a real-looking Segment token is always a secret', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{64}$/), (body) => {
        expect(looksLikeSecret(`sgp_${body}`)).toBe(true);
      }),
    );
  });
});

describe('isConventionalEnvVarName', () => {
  test('upper-case letters, digits and "_", not starting with a digit', () => {
    for (const ok of ['A', '_', '_A1', 'A_1', DEFAULT_TOKEN_VARIABLE]) expect(isConventionalEnvVarName(ok)).toBe(true);
    for (const bad of ['', '1A', 'a', 'Ab', 'A-B', 'A B', 'A.B', ' A', 'A\n', 'Ａ']) expect(isConventionalEnvVarName(bad)).toBe(false);
  });

  test('a conventional-looking but secret-like or too long name is refused', () => {
    expect(isConventionalEnvVarName('A'.repeat(24))).toBe(false);
    expect(isConventionalEnvVarName('AKIA_PROD')).toBe(false);
    expect(isConventionalEnvVarName('AB_'.repeat(22))).toBe(false); // 66 characters
  });

  test('property: names of short upper-case words joined by "_", at most 64 long, are conventional', () => {
    const word = fc.stringMatching(/^[A-Z][A-Z0-9]{0,10}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const name = words.join('_');
        fc.pre(!/^(AKIA|SGP_|GHP_|GHO_|GHS_|GHU_|NPM_|SARK_|SK-)/.test(name));
        expect(isConventionalEnvVarName(name)).toBe(true);
      }),
    );
  });
});

describe('isTokenVariableName: the convention', () => {
  test('PUBLIC_API_TOKEN, or SEGMENT_ followed by something', () => {
    expect(isTokenVariableName(DEFAULT_TOKEN_VARIABLE)).toBe(true);
    expect(isTokenVariableName('SEGMENT_PROD_TOKEN')).toBe(true);
    expect(isTokenVariableName('SEGMENT_X')).toBe(true);
    expect(isTokenVariableName('SEGMENT_')).toBe(false);
    expect(isTokenVariableName('SEGMENT')).toBe(false);
  });

  test('another system\'s secret, a look-alike or a lower-case name is refused', () => {
    for (const bad of ['GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'PUBLIC_API_TOKEN2', 'XPUBLIC_API_TOKEN', 'PROD_SEGMENT_', 'MY_SEGMENT_TOKEN', 'segment_prod_token', 'public_api_token'])
      expect(isTokenVariableName(bad)).toBe(false);
  });

  test('segment-access\'s own SEGMENT_ACCESS_ settings are never a token, but only that exact prefix', () => {
    expect(isTokenVariableName('SEGMENT_ACCESS_RECORD_KEY')).toBe(false);
    expect(isTokenVariableName('SEGMENT_ACCESS_')).toBe(false);
    expect(isTokenVariableName('SEGMENT_ACCESS')).toBe(true);
    expect(isTokenVariableName('SEGMENT_ACCESSORY_TOKEN')).toBe(true);
    expect(isTokenVariableName('SEGMENT_X_SEGMENT_ACCESS_')).toBe(true);
  });

  test('a secret pasted where the name belongs is refused even with the right prefix', () => {
    expect(isTokenVariableName(`SEGMENT_${'A1'.repeat(10)}`)).toBe(false);
    expect(isTokenVariableName(`SEGMENT_${'AB_'.repeat(20)}`)).toBe(false);
  });

  test('the documented convention names both forms', () => {
    expect(TOKEN_VARIABLE_CONVENTION).toContain(DEFAULT_TOKEN_VARIABLE);
    expect(TOKEN_VARIABLE_CONVENTION).toContain('SEGMENT_ (not SEGMENT_ACCESS_)');
  });

  test('property: every token variable name is conventional and starts with SEGMENT_ or is PUBLIC_API_TOKEN', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^(SEGMENT_|PUBLIC_)[A-Z0-9_]{0,20}$/)), (value) => {
        if (isTokenVariableName(value)) {
          expect(isConventionalEnvVarName(value)).toBe(true);
          expect(value === DEFAULT_TOKEN_VARIABLE || (value.startsWith('SEGMENT_') && !value.startsWith('SEGMENT_ACCESS_'))).toBe(true);
        }
      }),
    );
  });
});

describe('displayableVariableName', () => {
  test('a name is shown as itself', () => {
    expect(displayableVariableName('SEGMENT_PROD_TOKEN')).toBe('SEGMENT_PROD_TOKEN');
  });

  test('a secret-like value is described by its length in characters, never shown', () => {
    const token = `sgp_${'a1B2'.repeat(16)}`;
    expect(displayableVariableName(token)).toBe('a variable whose name looks like a token (68 characters, not shown)');
    expect(displayableVariableName(`sk-${'\u{1F511}'.repeat(3)}`)).toBe('a variable whose name looks like a token (6 characters, not shown)');
  });

  test('property: a secret-like value never appears in what is shown', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (tail) => {
        const value = `ghp_${tail}`;
        expect(displayableVariableName(value)).not.toContain(value);
      }),
    );
  });
});
