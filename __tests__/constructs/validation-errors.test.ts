import { TerraformStack } from '../../framework';
import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../../model/enums';
import { SegmentWorkspace } from '../../constructs/segment-workspace';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import { SegmentCollaborator } from '../../constructs/segment-collaborator';
import { WorkspaceGrant } from '../../constructs/workspace-grant';
import { collaborator, workspace } from '../support/fixtures';
import { testStack } from '../support/synth';
import { errorOf } from '../support/validation';

const WS_PROPS: SegmentWorkspaceProps = { workspaceId: 'ws1', slug: 'acme-prod', displayName: 'Acme', environment: Environment.PROD, tokenEnvVar: 'SEGMENT_PROD_TOKEN' };
const ws = (scope: TerraformStack, id: string, props: Partial<SegmentWorkspaceProps>) => new SegmentWorkspace(scope, id, { ...WS_PROPS, ...props });

describe('bad input fails at construct creation with an actionable message', () => {
  test('fails: malformed email names the construct path, field, value, what is allowed and a fix', () => {
    const stack = testStack();
    const err = errorOf(() => new SegmentCollaborator(stack, 'Ana', { email: 'ana(at)agency.example', displayName: 'Ana' }));
    expect(err.message).toContain('SegmentCollaborator "test/Ana"');
    expect(err.problems[0]).toMatchObject({ field: 'email', received: 'ana(at)agency.example' });
    expect(err.message).toContain('allowed: an email address, which has an "@" before its domain (this one has no "@")');
    expect(err.message).toContain('Fix: write the service account\'s shared address (not a person\'s), e.g. "segment@agency.example"; for a named individual, set kind to PERSON.');
  });

  test('fails: an address with "@" that is still not an email says "well-formed", not "no @"', () => {
    const err = errorOf(() => new SegmentCollaborator(testStack(), 'Ana', { email: 'ana@', displayName: 'Ana' }));
    expect(err.problems[0].allowed).toBe('a well-formed email address such as "analytics@agency.example"');
  });

  test.each([
    [CollaboratorKind.PERSON, 'write the person\'s own work address, e.g. "priya.shah@agency.example".'],
    [CollaboratorKind.CONTRACTOR, 'write the contractor\'s work address, e.g. "jonas.weber@contractors.agency.example".'],
    [CollaboratorKind.SERVICE_ACCOUNT, 'write the service account\'s shared address (not a person\'s), e.g. "segment@agency.example"; for a named individual, set kind to PERSON.'],
  ])('fails: the fix for a bad email of a %s names that kind of address', (kind, fix) => {
    const err = errorOf(() => new SegmentCollaborator(testStack(), 'Priya', { email: 'priya.shah.agency.example', displayName: 'Priya', kind }));
    expect(err.problems[0].fix).toBe(fix);
  });

  test('fails: props that throw when read still give a validation error (the fix lookup reads nothing it cannot)', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('no reading'); }, ownKeys: () => { throw new Error('no keys'); } });
    const err = errorOf(() => new SegmentCollaborator(testStack(), 'Ana', hostile as never));
    expect(err.problems[0].field).toBe('(props)');
  });

  test('fails: an enum member that does not exist (undefined under ts-node --transpile-only) is not called missing', () => {
    const stack = testStack();
    const set = errorOf(() => ws(stack, 'Set', { environment: (Environment as unknown as Record<string, Environment>).PRODD }));
    expect(set.problems[0]).toMatchObject({ field: 'environment' });
    expect(set.message).toContain('environment: received undefined (the field is set, to nothing: a misspelt enum member, e.g. PlanTier.BUSNESS?); allowed: one of "prod", "staging", "dev".');
    const { environment: _left, ...without } = WS_PROPS;
    const missing = errorOf(() => new SegmentWorkspace(stack, 'Missing', without as never));
    expect(missing.message).toContain('environment: received nothing (the field is missing)');
  });

  test('fails: unknown role lists the allowed presets', () => {
    const stack = testStack();
    const ws = workspace(stack);
    const ana = collaborator(stack, 'Ana');
    const err = errorOf(() => ws.addGrant('Ana', { collaborator: ana, role: 'SUPERUSER' as WorkspaceRole }));
    expect(err.problems[0].field).toBe('role');
    expect(err.problems[0].received).toBe('SUPERUSER');
    expect(err.problems[0].allowed).toBe('one of "OWNER", "ADMIN", "MEMBER", "READ_ONLY", "CUSTOM"');
    expect(err.message).toContain('test/Workspace/Ana');
  });

  test.each(['2027-02-30', '31/03/2027', '2027-13-01', 'next friday'])('fails: invalid expiry date %s', (expiresOn) => {
    const stack = testStack();
    const ws = workspace(stack);
    const err = errorOf(() => ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn }));
    expect(err.problems[0]).toMatchObject({ field: 'expiresOn', received: expiresOn });
    expect(err.message).toContain('YYYY-MM-DD');
  });

  test('fails: the same email granted twice in one workspace names the first grant', () => {
    const stack = testStack();
    const ws = workspace(stack);
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    const twin = collaborator(stack, 'AnaAgain', { email: 'ANA@agency.example ' });
    const err = errorOf(() => ws.addGrant('AnaAgain', { collaborator: twin, role: WorkspaceRole.MEMBER }));
    expect(err.problems[0]).toMatchObject({ field: 'collaborator.email', received: 'ana@agency.example' });
    expect(err.message).toContain('already granted by "test/Workspace/Ana"');
  });

  test('fails: a grant whose workspace belongs to another stack', () => {
    const stack = testStack('prod');
    const other = new TerraformStack(stack.node.scope!, 'staging');
    const ws = workspace(stack);
    const err = errorOf(
      () => new WorkspaceGrant(other, 'AnaGrant', { workspace: ws, collaborator: collaborator(other, 'Ana'), role: WorkspaceRole.READ_ONLY }),
    );
    expect(err.problems[0]).toMatchObject({ field: 'workspace', received: 'prod/Workspace' });
    expect(err.message).toContain('create the grant in stack "prod"');
  });

  test('fails: a destination whose source is not granted ADMIN', () => {
    const stack = testStack();
    const ws = workspace(stack);
    const grant = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER });
    grant.addSourceAccess('Web', { level: AccessLevel.ADMIN, sources: ['web'] });
    const err = errorOf(() =>
      grant.addSourceAccess('Ios', { level: AccessLevel.READ_ONLY, sources: ['ios'], destinations: [{ name: 'Amplitude', source: 'ios' }] }),
    );
    expect(err.problems[0].field).toBe('destinations.0');
    expect(err.problems[0].received).toEqual({ name: 'Amplitude', source: 'ios (src_ios)' });
    expect(err.message).toContain('grant ADMIN on source "ios"');
  });

  test('a destination is accepted when its source is ADMIN through a label', () => {
    const stack = testStack();
    const ws = workspace(stack);
    const grant = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER });
    const access = grant.addSourceAccess('Prod', {
      level: AccessLevel.ADMIN,
      labels: { environment: 'prod' },
      destinations: [{ name: 'Amplitude', source: 'ios' }],
    });
    expect(access.spec.destinations[0].source.id).toBe('src_ios');
    // ...but not for a source outside the label
    expect(() => grant.addSourceAccess('Lab', { level: AccessLevel.READ_ONLY, sources: ['lab'], destinations: [{ name: 'Mixpanel', source: 'lab' }] })).toThrow(
      /destinations\.0/,
    );
  });

  test('fails: a SourceAccess with neither sources, labels nor allSources', () => {
    const stack = testStack();
    const ws = workspace(stack);
    const grant = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER });
    const err = errorOf(() => grant.addSourceAccess('Nothing', { level: AccessLevel.READ_ONLY, warehouses: ['snowflake'] }));
    expect(err.problems[0].field).toBe('sources / labels / allSources');
    expect(err.message).toContain('SourceAccess "test/Workspace/Ana/Nothing"');
  });

  test('fails: a source name that is not in the workspace catalog lists the known sources', () => {
    const stack = testStack();
    const ws = workspace(stack);
    const grant = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER });
    const err = errorOf(() => grant.addSourceAccess('Android', { level: AccessLevel.READ_ONLY, sources: ['android'] }));
    expect(err.problems[0]).toMatchObject({ field: 'sources.0', received: 'android' });
    expect(err.message).toContain('"web" (src_web)');
  });

  test('fails: a READ_ONLY grant cannot get ADMIN source access', () => {
    const stack = testStack();
    const ws = workspace(stack);
    const grant = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    const err = errorOf(() => grant.addSourceAccess('Web', { level: AccessLevel.ADMIN, sources: ['web'] }));
    expect(err.problems[0]).toMatchObject({ field: 'level', received: 'ADMIN', allowed: 'READ_ONLY for a READ_ONLY grant' });
  });

  test('fails: a token value instead of a variable name', () => {
    const stack = testStack();
    const err = errorOf(() => workspace(stack, { tokenEnvVar: 'sgp_4f8a9b2c-token-value' }));
    expect(err.problems[0].field).toBe('tokenEnvVar');
    expect(err.message).toContain('the token itself never goes in code');
  });

  test('fails: a misspelt prop is reported rather than ignored', () => {
    const stack = testStack();
    const err = errorOf(() => workspace(stack, { seatLimt: 10 } as never));
    expect(err.problems[0].allowed).toContain('unknown: seatLimt');
  });

  test('every problem in one input is reported at once', () => {
    const stack = testStack();
    const err = errorOf(() => new SegmentCollaborator(stack, 'Bad', { email: 'nope', displayName: '', kind: 'ROBOT' as never }));
    expect(err.problems.map((p) => p.field).sort()).toEqual(['displayName', 'email', 'kind']);
  });
});
