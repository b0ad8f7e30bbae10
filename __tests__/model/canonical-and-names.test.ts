// Canonical forms (they name record groups and drive digests, so they must never drift) and the
// line between a variable's name and a token, pinned exactly.
import {
  canonicalJson,
  canonicalJsonByLine,
  describeGrantPermissions,
  describePermissions,
  normalizeEmail,
  normalizePermissions,
  permissionsFingerprint,
  samePermissions,
} from '../../model/canonical';
import { ResourceType } from '../../model/enums';
import { displayableVariableName, isConventionalEnvVarName, looksLikeSecret } from '../../model/token-variable-names';

const src = (id: string, labels: { key: string; value: string }[] = []) => ({ type: ResourceType.SOURCE, id, labels });
const ws = (labels: { key: string; value: string }[] = []) => ({ type: ResourceType.WORKSPACE, id: 'ws1', labels });

describe('canonical JSON', () => {
  test('keys sorted at every level, arrays kept in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 }, 1)).toBe('{\n "a": 1,\n "b": 2\n}');
  });

  test('arrays stay arrays at any length (their keys "10" < "2" are not an object to sort); nulls stay null', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => i);
    expect(canonicalJson({ list: twelve, none: null })).toBe(`{"list":${JSON.stringify(twelve)},"none":null}`);
    expect(canonicalJson(twelve)).toBe(JSON.stringify(twelve));
    expect(canonicalJson(null)).toBe('null');
  });

  test('one line per item of the top-level lists; empty lists and undefined fields', () => {
    expect(canonicalJsonByLine({ z: [{ b: 1, a: 2 }, 3], a: 'x', e: [], u: undefined })).toBe(
      '{\n  "a": "x",\n  "e": [],\n  "z": [\n    {"a":2,"b":1},\n    3\n  ]\n}',
    );
  });
});

describe('permissions in one canonical form', () => {
  test('one entry per role, resources and labels sorted and de-duplicated', () => {
    const input = [
      { roleName: 'Source Admin', resources: [src('b'), src('a', [{ key: 'z', value: '1' }, { key: 'a', value: '2' }, { key: 'z', value: '1' }])] },
      { roleName: 'Minimal Workspace Access', resources: [ws()] },
      { roleName: 'Source Admin', resources: [src('b')] },
    ];
    expect(normalizePermissions(input)).toEqual([
      { roleName: 'Minimal Workspace Access', resources: [{ id: 'ws1', labels: [], type: ResourceType.WORKSPACE }] },
      {
        roleName: 'Source Admin',
        resources: [
          { id: 'a', labels: [{ key: 'a', value: '2' }, { key: 'z', value: '1' }], type: ResourceType.SOURCE },
          { id: 'b', labels: [], type: ResourceType.SOURCE },
        ],
      },
    ]);
  });

  test('resources differing only in labels stay apart', () => {
    const [p] = normalizePermissions([{ roleName: 'Source Admin', resources: [ws([{ key: 'env', value: 'prod' }]), ws([{ key: 'env', value: 'dev' }]), ws()] }]);
    expect(p.resources.map((r) => r.labels.map((l) => l.value).join())).toEqual(['', 'dev', 'prod']);
  });

  test('the order, and so every fingerprint (it names record groups), is the one first released', () => {
    // Pinned from the release before labels and resources were de-duplicated by JSON identity.
    const set = [
      { roleName: 'Source Admin', resources: [src('a-b'), src('a'), src('a:b', [{ key: 'team', value: 'web' }, { key: 'env', value: 'prod' }]), ws([{ key: 'env-x', value: '1' }, { key: 'env', value: '2' }])] },
      { roleName: 'Minimal Workspace Access', resources: [ws()] },
      { roleName: 'Source Read-only', resources: [ws([{ key: 'aA', value: '1' }, { key: 'a', value: 'z' }])] },
    ];
    expect(normalizePermissions(set).map((p) => [p.roleName, p.resources.map((r) => `${r.id}[${r.labels.map((l) => l.key).join()}]`)])).toEqual([
      ['Minimal Workspace Access', ['ws1[]']],
      ['Source Admin', ['a-b[]', 'a[]', 'a:b[env,team]', 'ws1[env-x,env]']],
      ['Source Read-only', ['ws1[a,aA]']], // "a=z" < "aA=1": the "=" counts
    ]);
    expect(permissionsFingerprint(set)).toBe('c4f62ab645f2');
    // "a=1,b=2" < "a=1-": the "," between a resource's labels counts.
    const joined = normalizePermissions([{ roleName: 'Source Read-only', resources: [ws([{ key: 'a', value: '1-' }]), ws([{ key: 'b', value: '2' }, { key: 'a', value: '1' }])] }]);
    expect(joined[0].resources.map((r) => r.labels.map((l) => `${l.key}=${l.value}`).join())).toEqual(['a=1,b=2', 'a=1-']);
    expect(permissionsFingerprint(joined)).toBe('fb11d2c67732');
  });

  test('"=", ":" and "," inside label keys, values and ids never make two different labels or resources one', () => {
    // Merging them would drop a label, and labels narrow a grant: it would grant more than declared.
    const [p] = normalizePermissions([{ roleName: 'Source Admin', resources: [ws([{ key: 'a=b', value: 'c' }, { key: 'a', value: 'b=c' }])] }]);
    expect(p.resources[0].labels).toHaveLength(2);
    const oneLabel = ws([{ key: 'a', value: '1,b=2' }]);
    const twoLabels = ws([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    const [q] = normalizePermissions([{ roleName: 'Source Admin', resources: [oneLabel, twoLabels] }]);
    expect(q.resources.map((r) => r.labels.length).sort()).toEqual([1, 2]);
    // Ties in the released order are broken the same way whatever the input order.
    expect(normalizePermissions([{ roleName: 'Source Admin', resources: [twoLabels, oneLabel] }])).toEqual([q]);
    expect(normalizePermissions([{ roleName: 'Source Admin', resources: [ws([{ key: 'a', value: 'b=c' }, { key: 'a=b', value: 'c' }])] }])).toEqual([p]);
    const ids = normalizePermissions([{ roleName: 'Source Admin', resources: [src('x', [{ key: 'k', value: 'v' }]), src('x:k=v')] }]);
    expect(ids[0].resources.map((r) => r.id)).toEqual(['x', 'x:k=v']);
  });

  test('fingerprints: 12 hex characters, equal for equal sets in any order, different otherwise', () => {
    const a = [{ roleName: 'Source Admin', resources: [src('a'), src('b')] }, { roleName: 'Minimal Workspace Access', resources: [ws()] }];
    const b = [{ roleName: 'Minimal Workspace Access', resources: [ws()] }, { roleName: 'Source Admin', resources: [src('b'), src('a')] }];
    expect(permissionsFingerprint(a)).toMatch(/^[0-9a-f]{12}$/);
    expect(permissionsFingerprint(a)).toBe(permissionsFingerprint(b));
    expect(permissionsFingerprint(normalizePermissions(b), true)).toBe(permissionsFingerprint(a));
    expect(permissionsFingerprint([{ roleName: 'Source Admin', resources: [src('a')] }])).not.toBe(permissionsFingerprint(a));
    expect(samePermissions(a, b)).toBe(true);
    expect(samePermissions(a, [{ roleName: 'Source Admin', resources: [src('a'), src('b')] }])).toBe(false);
  });

  test('described in words, with catalog names when known, per catalog', () => {
    const permissions = [
      { roleName: 'Source Admin', resources: [src('src_web', [{ key: 'environment', value: 'prod' }, { key: 'team', value: 'web' }]), src('src_x')] },
      { roleName: 'Minimal Workspace Access', resources: [ws()] },
      { roleName: 'Source Read-only', resources: [ws([{ key: 'environment', value: 'prod' }])] },
    ];
    const names = new Map([['src_web', 'web']]);
    expect(describePermissions(permissions)).toBe(
      'Minimal Workspace Access on workspace; Source Admin on source src_web [environment=prod, team=web], source src_x; Source Read-only on workspace [environment=prod]',
    );
    expect(describePermissions(permissions, names)).toBe(
      'Minimal Workspace Access on workspace; Source Admin on source web (src_web) [environment=prod, team=web], source src_x; Source Read-only on workspace [environment=prod]',
    );
    const grant = { permissions, fingerprint: permissionsFingerprint(permissions) };
    expect(describeGrantPermissions(grant, names)).toBe(describePermissions(permissions, names));
    expect(describeGrantPermissions(grant)).toBe(describePermissions(permissions));
    expect(describeGrantPermissions({ permissions: [{ roleName: 'Source Admin', resources: [src('src_web')] }], fingerprint: 'other' }, names)).toBe(
      'Source Admin on source web (src_web)',
    );
  });

  test('emails compare trimmed and lower-cased', () => {
    expect(normalizeEmail('  Ana.Lopez@Agency.Example \n')).toBe('ana.lopez@agency.example');
  });

  // Found by the look-alike properties (FC_SEED=21614): toLowerCase() folds the Kelvin sign into "k",
  // so a live member at "\u212Aorp.example" was taken for the declared person at korp.example.
  test('only ASCII letters are lower-cased: a non-ASCII look-alike stays itself', () => {
    expect(normalizeEmail('ana@\u212Aorp.example')).toBe('ana@\u212Aorp.example');
    expect(normalizeEmail('\u212Aim@KORP.example')).toBe('\u212Aim@korp.example');
    expect(normalizeEmail('ANA@\u0130STANBUL.example')).toBe('ana@\u0130stanbul.example');
  });
});

describe('a token variable NAME, or a token?', () => {
  test('well-known prefixes, in any case', () => {
    for (const value of ['sgp_x', 'SGP_X', 'ghp_a', 'github_pat_1', 'glpat-1', 'xoxb-1', 'sk-1', 'AKIA1', 'npm_1']) expect(looksLikeSecret(value)).toBe(true);
    expect(looksLikeSecret('SEGMENT_PROD_TOKEN')).toBe(false);
  });

  test('longer than 64 characters, even of short words', () => {
    const words = (n: number) => 'ABCDEFGH_'.repeat(8).slice(0, n);
    expect(words(64)).toHaveLength(64);
    expect(looksLikeSecret(words(64))).toBe(false);
    expect(looksLikeSecret(`${words(64)}X`)).toBe(true);
    expect(isConventionalEnvVarName(words(64).replace(/_$/, 'X'))).toBe(true);
  });

  test('a word of 16 or more mixing letters and digits; a word of 24 or more', () => {
    expect(looksLikeSecret('MY_ABCDEFGHIJKLMNO1_TOKEN')).toBe(true); // 16 characters with a digit
    expect(looksLikeSecret('MY_ABCDEFGHIJKLMN1_TOKEN')).toBe(false); // 15
    expect(looksLikeSecret('MY_1234567890123456_TOKEN')).toBe(false); // digits only
    expect(looksLikeSecret('MY_ABCDEFGHIJKLMNOPQRSTU_TOKEN')).toBe(false); // 21 letters, no digit
    expect(looksLikeSecret(`MY_${'A'.repeat(24)}`)).toBe(true);
    expect(looksLikeSecret(`MY_${'A'.repeat(23)}`)).toBe(false);
    expect(looksLikeSecret('ABCDEFGHIJKLMNOPQRSTUVW-X')).toBe(false); // "-" separates words too
    expect(looksLikeSecret('ABCDEFGHIJKLMNOPQRSTUVW.X')).toBe(false);
    expect(looksLikeSecret('ABCDEFGHIJKLMNOPQRSTUVW X')).toBe(false);
  });

  test('a long, mixed-case, high-entropy string of short words', () => {
    expect(looksLikeSecret('aB3d_E5fG_7hJ9_kL1m_N2pQ')).toBe(true);
    expect(looksLikeSecret('ab3d_e5fg_7hj9_kl1m_n2pq')).toBe(false); // no upper case
    expect(looksLikeSecret('AB3D_E5FG_7HJ9_KL1M_N2PQ')).toBe(false); // no lower case
    expect(looksLikeSecret('aBcd_EefG_xhJy_kLzm_NwpQ')).toBe(false); // no digit
    expect(looksLikeSecret('aB3d_E5fG_7hJ9_kL1m')).toBe(false); // 19 characters
    expect(looksLikeSecret('aB1a_aB1a_aB1a_aB1a_aB1a')).toBe(false); // low entropy
  });

  test('the high-entropy rule at its boundaries: 20 characters, 4 bits per character', () => {
    // 19 and 20 distinct characters (entropy log2(19), log2(20), both above 4), in words under 16.
    expect(looksLikeSecret('Ab1Cd2Ef3G_h4Ij5Kl6')).toBe(false);
    expect(looksLikeSecret('Ab1Cd2Ef3G_h4Ij5Kl6M')).toBe(true);
    // 16 distinct characters, each twice: exactly 4 bits per character.
    expect(looksLikeSecret('Ab1Cd2Ef3Gh4Ij5_'.repeat(2))).toBe(true);
    expect(looksLikeSecret('AA1Cd2Ef3Gh4Ij5_Ab1Cd2Ef3Gh4Ij5_')).toBe(false); // one "b" made "A": 3.98 bits
  });

  test('conventional names, and how a name is shown', () => {
    expect(isConventionalEnvVarName('SEGMENT_PROD_TOKEN')).toBe(true);
    expect(isConventionalEnvVarName('_X1')).toBe(true);
    expect(isConventionalEnvVarName('segment_prod_token')).toBe(false);
    expect(isConventionalEnvVarName('1TOKEN')).toBe(false);
    expect(isConventionalEnvVarName('SGP_TOKEN')).toBe(false);
    expect(displayableVariableName('SEGMENT_PROD_TOKEN')).toBe('SEGMENT_PROD_TOKEN');
    expect(displayableVariableName(`sgp_${'a'.repeat(64)}`)).toBe('a variable whose name looks like a token (68 characters, not shown)');
  });
});
