import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from '../../framework';
import { loadAccessRequests, parseAccessRequests } from '../../requests/load';
import { Environment } from '../../model/enums';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { exampleDefinition } from '../../stacks/example-workspaces';
import { errorOf } from '../support/validation';
import { TEST_NOW } from '../support/synth';
import { ONE, refusal } from './support';

// A pull request from someone who wants access can change only this file: nothing in it may run,
// resolve to an object, reach a prototype, exhaust memory, or name a control setting. (How fast each
// is refused is measured in `npm run bench`; here, that it is refused, clearly, and where.)

function billionLaughs(levels: number): string {
  let text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < levels; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
  return `${text}collaborators: *a${levels - 1}\n`;
}

describe('hostile YAML is refused with one clear, located problem', () => {
  test.each([
    ['an alias bomb ("billion laughs")', billionLaughs(9), 'access.yaml:1:1', /^aliases that expand to \d{9,} more values$/, 'aliases (*name) that add at most 10000 values when expanded'],
    ['flow collections nested a million deep', `collaborators: ${'['.repeat(1_000_000)}`, 'access.yaml:1:35', /nesting exceeded maxDepth \(20\)/, 'nesting at most 20 deep: an access requests file is about 9 deep'],
    ['flow collections nested over many lines', `collaborators:\n${'{\n'.repeat(500_000)}`, 'access.yaml:21:1', /nesting exceeded maxDepth/, 'nesting at most 20 deep'],
    ['block sequences nested on one line', `collaborators:\n${'- '.repeat(1_000_000)}x`, 'access.yaml:2:39', /nesting exceeded maxDepth/, 'nesting at most 20 deep'],
    ['block mappings nested by indentation', `collaborators:\n${Array.from({ length: 500 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}`, 'access.yaml:20:20', /nesting exceeded maxDepth/, 'nesting at most 20 deep'],
  ])('%s', (_what, text, at, received, allowed) => {
    const err = refusal(text);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ at, field: '(yaml)' });
    expect(String(err.problems[0].received)).toMatch(received);
    expect(err.problems[0].allowed).toContain(allowed);
  });

  test('a 50 MB file is refused from its size, before it is read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sa-hostile-')), 'access.yaml');
    writeFileSync(file, ONE);
    truncateSync(file, 50 * 1024 * 1024);
    const err = errorOf(() => loadAccessRequests(file));
    expect(err.problems).toEqual([expect.objectContaining({ field: '(file)', received: `${50 * 1024 * 1024} bytes`, allowed: 'at most 8388608 bytes' })]);
    // The same limit holds for text already in memory.
    expect(refusal(`${ONE}#${'x'.repeat(8 * 1024 * 1024)}`).problems[0]).toMatchObject({ field: '(file)', allowed: 'at most 8388608 bytes' });
  });

  test.each(['__proto__', 'constructor', 'prototype'])('the key %s is refused anywhere, and Object.prototype is untouched', (key) => {
    for (const text of [`${key}: { polluted: yes }\n${ONE}`, ONE.replace('    grant:', `    grant:\n      ${key}: { polluted: yes }`), `${ONE}    environments:\n      prod:\n        ${key}: { polluted: yes }\n        reason: a long enough reason\n`]) {
      const err = refusal(text);
      expect(err.problems).toEqual([expect.objectContaining({ received: key, fix: `remove the "${key}" key.` })]);
      expect(err.problems[0].field.endsWith(key)).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    ['escaped', '"\\u005f\\u005f\\u0070\\u0072\\u006f\\u0074\\u006f\\u005f\\u005f"'],
    ['single-quoted', "'__proto__'"],
    ['an explicit block key', '? >-\n          __proto__\n        '],
  ])('the key __proto__ is refused however it is written: %s', (_how, written) => {
    const err = refusal(ONE.replace('    grant:', `    grant:\n      labels:\n        ${written}: x`).replace('      role:', '      role:'));
    expect(err.problems).toContainEqual(expect.objectContaining({ received: '__proto__', fix: 'remove the "__proto__" key.' }));
  });

  test.each([
    ['!!js/function "function () { require(\'fs\').writeFileSync(\'stolen.txt\', process.env.SEGMENT_PROD_TOKEN) }"', 'the tag !!js/function'],
    ['!foo bar', 'the tag !foo'],
    ['!!binary aGVsbG8=', 'the tag !!binary'],
    ['!!str Ana', 'the tag !!str'],
    ['!<tag:yaml.org,2002:js/undefined> ""', 'the tag !<tag:yaml.org,2002:js/undefined>'],
  ])('a tag is refused, never resolved: %s', (value, received) => {
    const err = refusal(ONE.replace('displayName: Ana', `displayName: ${value}`));
    expect(err.problems).toEqual([expect.objectContaining({ at: expect.stringMatching(/^access\.yaml:4:/), field: 'collaborators.0.displayName', received })]);
    expect(err.message).toContain('an access requests file holds data, never typed objects or code');
  });

  test.each([
    ['a duplicate key', ONE.replace('    displayName: Ana', '    displayName: Ana\n    displayName: Eve'), 'access.yaml:5:5', 'collaborators.0.displayName', 'each key once per mapping'],
    ['a second document', `${ONE}---\ncollaborators: []\n`, 'access.yaml:10:1', '(yaml)', 'one YAML document per file'],
    ['a mapping as a key', `${ONE}? [a, b]\n: 1\n`, 'access.yaml:9:3', '(yaml)', 'plain text keys'],
    ['an unterminated quote (found at the end of the file)', `${ONE}  - id: "unterminated\n`, 'access.yaml:10:1', '(yaml)', 'well-formed YAML'],
  ])('%s', (_what, text, at, field, allowed) => {
    const err = refusal(text);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ at, field });
    expect(err.problems[0].allowed).toContain(allowed);
  });

  test('a merge key (<<) is an unknown key, not a merge', () => {
    const err = refusal(`${ONE}    <<: { kind: PERSON }\n`);
    expect(err.problems).toEqual([expect.objectContaining({ field: 'collaborators.0.<<', fix: 'remove or correct the misspelt key "<<".' })]);
  });

  test('wrong types are named with what is allowed', () => {
    const err = refusal('collaborators: {}\ngroupGrants: 3\n');
    expect(err.problems.map((p) => [p.at, p.field, p.allowed])).toEqual([
      ['access.yaml:1:16', 'collaborators', 'a value of type array'],
      ['access.yaml:2:14', 'groupGrants', 'a value of type array'],
    ]);
    expect(refusal('').problems[0]).toMatchObject({ field: '(props)', allowed: 'a value of type object' });
  });

  test('text that is not UTF-8, and escapes that make half a character, are refused', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sa-hostile-')), 'access.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from(ONE.replace('Ana\n', 'An')), Buffer.from([0xc3, 0x28, 0x0a])]));
    expect(errorOf(() => loadAccessRequests(file)).problems[0]).toMatchObject({ field: '(file)', received: 'bytes that are not UTF-8' });
    const err = refusal(ONE.replace('displayName: Ana', 'displayName: "An\\ud800"'));
    expect(err.problems[0]).toMatchObject({ at: 'access.yaml:4:18', field: 'collaborators.0.displayName', allowed: 'well-formed Unicode text (no unpaired surrogate, e.g. half of an emoji)' });
  });
});

describe('a control setting in the requests file is refused by name, at validate and at synth', () => {
  const CONTROLS: [string, string, string][] = [
    ['executor', '["sh", "-c", "curl https://evil.example"]', 'collaborators.0.grant'],
    ['authoritative', 'true', ''],
    ['useAuditTrail', 'false', ''],
    ['retainEmails', '[ana@agency.example]', ''],
    ['seatLimit', '1000', ''],
    ['tokenEnvVar', 'AWS_SECRET_ACCESS_KEY', ''],
    ['rolePresets', '{ MEMBER: { workspaceRoles: [Workspace Owner], description: x } }', 'collaborators.0'],
    ['suppressions', '[{ ruleId: SA-PRIV-002, reason: "the rule that stops me" }]', 'collaborators.0.grant'],
    ['acknowledgements', '[{ ruleId: SA-CTRL-001, reason: "trust me please" }]', ''],
    ['workspaces', '{ prod: { workspaceId: evil } }', ''],
    ['appId', 'other-team', 'collaborators.0'],
    ['planTier', 'TEAM', 'collaborators.0.environments.prod'],
  ];

  function withKey(key: string, value: string, where: string): string {
    if (where === '') return `${ONE}${key}: ${value}\n`;
    if (where === 'collaborators.0') return ONE.replace('    grant:', `    ${key}: ${value}\n    grant:`);
    if (where === 'collaborators.0.grant') return `${ONE}      ${key}: ${value}\n`;
    return `${ONE}    environments:\n      prod:\n        reason: a long enough reason\n        ${key}: ${value}\n`;
  }

  test.each(CONTROLS)('%s', (key, value, where) => {
    const err = refusal(withKey(key, value, where));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ field: where ? `${where}.${key}` : key, allowed: `request fields only (\`${key}\` is a control setting)` });
    expect(err.message).toContain(`\`${key}\` is a control setting; set it in the workspace configuration (code), not in access.yaml.`);
  });

  test('the message never shows a value that looks like a token', () => {
    const token = `sgp_${'Ab3'.repeat(22)}`;
    const err = refusal(`${ONE}tokenEnvVar: ${token}\n`);
    expect(err.message).toContain('received a value that looks like a token (70 characters, not shown)');
    expect(err.message).not.toContain(token.slice(0, 10));
  });

  test('synth of an app that loads such a file stops before any stack is built, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-hostile-'));
    writeFileSync(join(dir, 'access.yaml'), withKey('executor', '["sh"]', ''));
    const outdir = join(dir, 'out');
    // As main.ts: the requests are loaded before the app is built.
    const err = errorOf(() => {
      const definition = exampleDefinition(loadAccessRequests(join(dir, 'access.yaml')));
      const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
      new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
      app.synth();
    });
    expect(err.message).toContain('`executor` is a control setting');
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('a code payload in the requests file is data, never run', () => {
  const PAYLOAD = "require('fs').writeFileSync('stolen.txt', process.env.SEGMENT_PROD_TOKEN)";

  test('written where a value belongs, it is synthesized as the text it is: no file written, no token read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-payload-'));
    const file = join(dir, 'access.yaml');
    // At an SSO domain of the example's prod workspace, so the guardrails pass and synth completes.
    const text = ONE.replace('ana@agency.example', 'ana@acme.example').replace('displayName: Ana', `displayName: "${PAYLOAD}"`);
    writeFileSync(file, text.replace('ticket: ACCESS-1', 'ticket: "${file(\\"/proc/self/environ\\")}"'));
    const saved = { ...process.env };
    process.env.SEGMENT_PROD_TOKEN = 'sgp_never-to-be-written-anywhere-0123456789';
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const app = new App({ outdir: join(dir, 'out'), context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
      new SegmentAccessStack(app, 'prod', { definition: exampleDefinition(loadAccessRequests(file)), environment: Environment.PROD });
      app.synth();
    } finally {
      process.chdir(cwd);
      process.env = saved;
    }
    expect(existsSync(join(dir, 'stolen.txt'))).toBe(false);
    const desired = JSON.parse(readFileSync(join(dir, 'out', 'stacks', 'prod', 'segment-access.AcmeProdWs7Qd2.json'), 'utf8'));
    expect(desired.collaborators[0].displayName).toBe(PAYLOAD);
    const tf = readFileSync(join(dir, 'out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8');
    expect(tf).toContain('"ticket": "$${file(\\"/proc/self/environ\\")}"');
    const everything = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? everything(join(d, f)) : [join(d, f)]));
    for (const f of everything(dir)) expect(readFileSync(f, 'latin1')).not.toContain('sgp_never-to-be-written');
  });

  test('the same payload as a parsed value is a string, whatever YAML syntax carries it', () => {
    for (const form of [`"${PAYLOAD}"`, `'${PAYLOAD.replace(/'/g, "''")}'`, `>-\n      ${PAYLOAD}`]) {
      const { collaborators } = parseAccessRequests(ONE.replace('displayName: Ana', `displayName: ${form}`));
      expect(collaborators[0].displayName).toBe(PAYLOAD);
    }
  });
});
