import { test } from '@fast-check/jest';
import { Testing, TerraformStack } from '../../framework';
import { AccessLevel, WorkspaceRole } from '../../model/enums';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessValidationError } from '../../model/validation';
import { collaborator, workspace } from '../support/fixtures';
import { fc, numRuns } from './fast-check-config';
import { definitionFrom, hostileString, SLOT_DEFAULTS, synthDefinition } from './support/hostile-definition';

// Misspelt props, values of the wrong kind (constructs, cycles, functions, bigints, symbols) and
// hostile construct ids, through the construct API and the AccessDefinition: always a
// SegmentAccessValidationError naming the construct and the field, never a TypeError or a raw
// constructs/Node error.

function cyclic(): object {
  const a: Record<string, unknown> = { name: 'a' };
  a.self = a;
  return a;
}

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, undefined, 0, -1, 1.5, NaN, Infinity, true, 10n, Symbol('s'), () => 1, cyclic(), [cyclic()], new Date(NaN), /re/, {}, []),
  fc.anything({ maxDepth: 2 }),
);

/** Keys that are not props anywhere, including the misspellings the issue names. */
const unknownKey = fc.oneof(fc.constantFrom('expiresIn', 'groupname', 'seatLimt', 'sourceacess', 'displayname', 'tokenEnvVarr'), hostileString.filter((k) => k.length > 0));

/** Where in the definition a misspelt prop goes. */
const TARGETS = ['root', 'workspace', 'collaborator', 'grant', 'override', 'sourceAccess', 'destination', 'groupGrant', 'groupGrantGrant', 'sso'] as const;

function withExtraProp(target: (typeof TARGETS)[number], key: string, value: unknown) {
  const d = definitionFrom({ ...SLOT_DEFAULTS }) as any;
  const c = d.collaborators[0];
  const objects: Record<(typeof TARGETS)[number], any> = {
    root: d,
    workspace: d.workspaces.prod,
    collaborator: c,
    grant: c.grant,
    override: c.environments.prod,
    sourceAccess: c.environments.prod.sourceAccess.Tracking,
    destination: c.environments.prod.sourceAccess.Tracking.destinations[0],
    groupGrant: d.groupGrants[0],
    groupGrantGrant: d.groupGrants[0].grant,
    sso: d.workspaces.prod.sso,
  };
  const object = objects[target];
  if (Object.prototype.hasOwnProperty.call(object, key)) return undefined;
  object[key] = value;
  return d;
}

function expectValidationError(run: () => unknown): SegmentAccessValidationError {
  try {
    run();
  } catch (error) {
    if (!(error instanceof SegmentAccessValidationError)) throw new Error(`expected a SegmentAccessValidationError, got ${String((error as Error)?.stack ?? error)}`);
    expect(error.problems.every((p) => p.field.length > 0)).toBe(true);
    expect(() => JSON.stringify(error)).not.toThrow();
    return error;
  }
  throw new Error('expected synth to refuse the input');
}

test.prop([fc.constantFrom(...TARGETS), unknownKey, oddValue], { numRuns: numRuns(150) })(
  'a misspelt prop anywhere in the definition, holding anything, is a validation error naming it',
  (target, key, value) => {
    const definition = withExtraProp(target, key, value);
    fc.pre(definition !== undefined);
    const error = expectValidationError(() => synthDefinition(definition));
    expect(error.message).toContain('Invalid input at ');
  },
);

function stack(): TerraformStack {
  return new TerraformStack(Testing.app({ context: { [NOW_CONTEXT_KEY]: '2026-11-27T12:00:00Z' } }), 'prod');
}

test.prop([unknownKey, oddValue], { numRuns: numRuns(100) })('a misspelt prop on a construct holding anything, constructs included, is a validation error', (key, value) => {
  const s = stack();
  const ws = workspace(s);
  const ana = collaborator(s, 'Ana');
  fc.pre(!['role', 'justification', 'ticket', 'requestedBy', 'approvedBy', 'sourceAccess', 'collaborator', 'expiresOn', 'environmentOverride', 'workspace'].includes(key));
  const error = expectValidationError(() => ws.addGrant('Ana', { collaborator: ana, role: WorkspaceRole.READ_ONLY, [key]: value } as never));
  expect(error.message).toMatch(/WorkspaceGrant "prod\/Workspace\/Ana"/);
  expect(error.problems[0].field).toBe('(props)');
});

test.prop([hostileString, fc.constantFrom('collaborator', 'grant', 'sourceAccess', 'groupGrant')], { numRuns: numRuns(150) })(
  'any construct id: a construct, or a validation error (empty, too long, or already used)',
  (id, kind) => {
    const s = stack();
    const ws = workspace(s);
    const ana = collaborator(s, 'Ana');
    const grant = ws.addGrant('Existing', { collaborator: ana, role: WorkspaceRole.MEMBER, sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } });
    const create = () => {
      if (kind === 'collaborator') return collaborator(s, id);
      if (kind === 'grant') return ws.addGrant(id, { collaborator: collaborator(s, 'Bo', { email: 'bo@agency.example' }), role: WorkspaceRole.READ_ONLY });
      if (kind === 'sourceAccess') return grant.addSourceAccess(id, { level: AccessLevel.READ_ONLY, sources: ['ios'] });
      return ws.addGroupGrant(id, { groupName: 'Data', role: WorkspaceRole.READ_ONLY });
    };
    try {
      create();
    } catch (error) {
      if (!(error instanceof SegmentAccessValidationError)) throw error;
      expect(error.problems[0].field).not.toBe('');
    }
  },
);

test('the two collisions the issue names: a duplicate collaborator id and an empty sourceAccess key', () => {
  const dup = definitionFrom({ ...SLOT_DEFAULTS }) as any;
  dup.collaborators[1].id = dup.collaborators[0].id;
  const e1 = expectValidationError(() => synthDefinition(dup));
  expect(e1.problems[0]).toMatchObject({ field: 'collaborators.1.id', received: 'Agency' });
  expect(e1.problems[0].allowed).toContain('already used by collaborators.0');
  expect(e1.problems[0].fix).toContain('its own id');

  const empty = definitionFrom({ ...SLOT_DEFAULTS, 'grant.accessKey': '' });
  const e2 = expectValidationError(() => synthDefinition(empty));
  expect(e2.problems[0].field).toBe('sourceAccess[""] (its key is the construct id)');
  expect(e2.message).toContain('prod/Workspace/Agency');
});

test('the misspelt props the issue names: "expiresIn" and "groupname" show the prop, not "Converting circular structure to JSON"', () => {
  const d = definitionFrom({ ...SLOT_DEFAULTS }) as any;
  d.collaborators[0].grant.expiresIn = '30d';
  const e1 = expectValidationError(() => synthDefinition(d));
  expect(e1.message).toContain('received {"expiresIn":"30d"}; allowed: only the documented props (unknown: expiresIn)');
  const s = stack();
  const ws = workspace(s);
  const e2 = expectValidationError(() => ws.addGroupGrant('Data', { groupname: 'Data', role: WorkspaceRole.READ_ONLY } as never));
  expect(e2.message).toContain('unknown: groupname');
});
