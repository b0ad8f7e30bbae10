import { AccessLevel, Environment, WorkspaceRole } from '../../model/enums';
import { resolvePermissions } from '../../model/resolve-grant';
import { DEFAULT_ROLE_PRESETS } from '../../model/role-presets';
import { samePermissions } from '../../model/canonical';
import { SegmentAccessValidationError } from '../../model/validation';
import { IMPORT_PLACEHOLDER } from '../../policy/placeholders';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { collaborator } from '../support/fixtures';
import { expectViolation, findingsOf, newApp, setup } from '../policy/support';

function thrown(fn: () => unknown): SegmentAccessValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SegmentAccessValidationError) return e;
    throw e;
  }
  throw new Error('expected a validation error');
}

describe('customPermissions: the escape hatch for access no preset expresses', () => {
  test('a role named like an Object property ("constructor", "__proto__") is checked as any unknown role, not crashed on', () => {
    for (const role of ['constructor', '__proto__', 'toString']) {
      const { stack, ws } = setup();
      ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.CUSTOM, customPermissions: [{ role: 'Minimal Workspace Access', workspace: true }, { role, workspace: true }] });
      expect(ws.desiredState().collaborators[0].permissions.map((p) => p.roleName)).toContain(role);
    }
  });

  test('resolves roles by name on the workspace, labels, and sources and warehouses by catalog name or id', () => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Ana', {
      collaborator: collaborator(stack, 'Ana'),
      role: WorkspaceRole.CUSTOM,
      customPermissions: [
        { role: 'Minimal Workspace Access', workspace: true },
        { role: 'Source Admin', sources: ['web', 'src_ios'] },
        { role: 'Source Read-only', labels: { environment: 'staging' } },
        { role: 'Warehouse Destination Read-only', warehouses: ['snowflake'] },
        { role: 'Function Read-only', functions: ['fn_1'] },
      ],
    });
    expect(g.toDesiredCollaborator().role).toBe('CUSTOM');
    expect(g.toDesiredCollaborator().permissions).toEqual([
      { roleName: 'Function Read-only', resources: [{ type: 'FUNCTION', id: 'fn_1', labels: [] }] },
      { roleName: 'Minimal Workspace Access', resources: [{ type: 'WORKSPACE', id: 'ws_test_1', labels: [] }] },
      {
        roleName: 'Source Admin',
        resources: [
          { type: 'SOURCE', id: 'src_ios', labels: [] },
          { type: 'SOURCE', id: 'src_web', labels: [] },
        ],
      },
      { roleName: 'Source Read-only', resources: [{ type: 'WORKSPACE', id: 'ws_test_1', labels: [{ key: 'environment', value: 'staging' }] }] },
      { roleName: 'Warehouse Destination Read-only', resources: [{ type: 'WAREHOUSE', id: 'wh_snow', labels: [] }] },
    ]);
    expect(g.planSummary().role).toBe('CUSTOM');
    expect(g.planSummary().permissions).toContain('Source Admin on source ios (src_ios), source web (src_web)');
  });

  test('custom permissions equal to a preset give the same permissions and fingerprint (one desired-state form)', () => {
    const { stack, ws } = setup();
    const preset = ws.addGrant('Preset', { collaborator: collaborator(stack, 'Preset'), role: WorkspaceRole.MEMBER, sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } });
    const custom = ws.addGrant('Custom', {
      collaborator: collaborator(stack, 'Custom'),
      role: WorkspaceRole.CUSTOM,
      customPermissions: [
        { role: 'Tracking Plan Read-only', workspace: true },
        { role: 'Source Admin', sources: ['web'] },
        { role: 'Minimal Workspace Access', workspace: true },
      ],
    });
    expect(custom.body().permissions).toEqual(preset.body().permissions);
    expect(custom.body().fingerprint).toBe(preset.body().fingerprint);
    expect(samePermissions(custom.body().permissions, resolvePermissions(DEFAULT_ROLE_PRESETS.MEMBER, [], ws.catalog))).toBe(false);
  });

  test('group grants take customPermissions too', () => {
    const { ws } = setup();
    const g = ws.addGroupGrant('Eng', { groupName: 'Engineers', role: WorkspaceRole.CUSTOM, ticket: 'A-1', requestedBy: 'x@acme.example', customPermissions: [{ role: 'Source Read-only', workspace: true }] });
    expect(g.toDesiredGroupGrant().permissions.map((p) => p.roleName)).toEqual(['Source Read-only']);
  });

  test('fails: a CUSTOM grant without customPermissions', () => {
    const { stack, ws } = setup();
    const e = thrown(() => ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.CUSTOM }));
    expect(e.problems[0]).toMatchObject({ field: 'customPermissions', received: [] });
    expect(e.problems[0].fix).toContain('customPermissions: [{ role: "Source Read-only"');
    expect(e.message).toContain('prod/Workspace/Ana');
  });

  test('fails: customPermissions on a preset grant, naming the roles received', () => {
    const { stack, ws } = setup();
    const e = thrown(() => ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, customPermissions: [{ role: 'Workspace Owner', workspace: true }] }));
    expect(e.problems[0]).toMatchObject({ field: 'customPermissions', received: ['Workspace Owner'] });
    expect(e.problems[0].allowed).toContain('READ_ONLY');
    expect(e.problems[0].fix).toContain('customPermissions: []');
  });

  test('fails: SourceAccess on a CUSTOM grant', () => {
    const { stack, ws } = setup();
    const e = thrown(() =>
      ws.addGrant('Ana', {
        collaborator: collaborator(stack, 'Ana'),
        role: WorkspaceRole.CUSTOM,
        customPermissions: [{ role: 'Source Read-only', workspace: true }],
        sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } },
      }),
    );
    expect(e.problems[0].field).toBe('sourceAccess.Web');
    expect(e.problems[0].fix).toContain('sourceAccess: {}');
  });

  test('fails: an entry without a target, an empty role, an unknown key, an unknown source or warehouse', () => {
    const { stack, ws } = setup();
    const grant = (customPermissions: unknown[]) => () =>
      ws.addGrant(`G${Math.random().toString(36).slice(2, 8)}`, { collaborator: collaborator(stack, `C${Math.random().toString(36).slice(2, 8)}`), role: WorkspaceRole.CUSTOM, customPermissions: customPermissions as never });
    expect(thrown(grant([{ role: 'Source Admin' }])).problems[0]).toMatchObject({ field: 'customPermissions.0', allowed: expect.stringContaining('a target') });
    expect(thrown(grant([{ role: ' ', workspace: true }])).problems[0].field).toBe('customPermissions.0.role');
    expect(thrown(grant([{ role: 'Source Admin', workspace: true, everything: true }])).problems[0].allowed).toContain('unknown: everything');
    const src = thrown(grant([{ role: 'Source Admin', sources: ['web', 'android'] }])).problems[0];
    expect(src).toMatchObject({ field: 'customPermissions.0.sources.1', received: 'android' });
    expect(src.allowed).toContain('"web" (src_web)');
    expect(thrown(grant([{ role: 'Warehouse Destination Admin', warehouses: ['redshift'] }])).problems[0].field).toBe('customPermissions.0.warehouses.0');
  });

  test('rolePresets cannot redefine CUSTOM', () => {
    const { app } = newApp();
    const e = thrown(() =>
      new SegmentAccessStack(app, 'prod', {
        environment: Environment.PROD,
        definition: {
          workspaces: { prod: { workspaceId: 'ws_1abc', slug: 'a', displayName: 'A', environment: Environment.PROD, rolePresets: { CUSTOM: { workspaceRoles: ['Workspace Owner'], description: 'sneaky' } } as never } },
          collaborators: [],
        },
      }),
    );
    expect(e.problems[0]).toMatchObject({ field: 'rolePresets', allowed: expect.stringContaining('unknown: CUSTOM') });
  });
});

describe('the guardrails treat custom permissions like the presets they amount to', () => {
  test('fails: Workspace Owner in customPermissions needs approver, ticket and justification (SA-PRIV-001, like OWNER)', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Boss', { collaborator: collaborator(stack, 'Boss', { approvedBy: undefined }), role: WorkspaceRole.CUSTOM, customPermissions: [{ role: 'Workspace Owner', workspace: true }] });
    expectViolation(app, 'SA-PRIV-001', 'prod/Workspace/Boss', ['CUSTOM (holds Workspace Owner) grant for boss@agency.example', 'approvedBy', 'justification']);
  });

  test('fails: a workspace-wide Admin role in customPermissions needs a justification (SA-PRIV-002, like ADMIN); a sourced one does not', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Wide', { collaborator: collaborator(stack, 'Wide'), role: WorkspaceRole.CUSTOM, customPermissions: [{ role: 'Tracking Plan Admin', workspace: true }] });
    ws.addGrant('Narrow', { collaborator: collaborator(stack, 'Narrow'), role: WorkspaceRole.CUSTOM, customPermissions: [{ role: 'Source Admin', sources: ['web'] }, { role: 'Source Admin', labels: { environment: 'prod' } }] });
    expectViolation(app, 'SA-PRIV-002', 'prod/Workspace/Wide', ['CUSTOM (holds workspace-wide Admin roles) grant for wide@agency.example']);
    expect(findingsOf(app, 'SA-PRIV-002').map((f) => f.path)).toEqual(['prod/Workspace/Wide']);
    expect(findingsOf(app, 'SA-PRIV-001')).toEqual([]);
  });

  test('fails: a preset whose table entry was overridden to hold Workspace Owner is guarded as OWNER', () => {
    const { app, stack, ws } = setup({ rolePresets: { READ_ONLY: { workspaceRoles: ['Workspace Owner'], description: 'misconfigured' } } });
    ws.addGrant('Sly', { collaborator: collaborator(stack, 'Sly', { approvedBy: undefined }), role: WorkspaceRole.READ_ONLY });
    expectViolation(app, 'SA-PRIV-001', 'prod/Workspace/Sly', ['READ_ONLY (holds Workspace Owner) grant']);
  });
});

describe('SA-AUDIT-001 rejects the import placeholder', () => {
  test('fails: any audit field or override reason that still holds it, naming each field; real values pass', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Ana', {
      collaborator: collaborator(stack, 'Ana', { requestedBy: `${IMPORT_PLACEHOLDER}: who asked?`, approvedBy: `${IMPORT_PLACEHOLDER}: who approved?` }),
      role: WorkspaceRole.READ_ONLY,
      environmentOverride: `${IMPORT_PLACEHOLDER}: why does prod differ?`,
    });
    ws.addGrant('Bo', { collaborator: collaborator(stack, 'Bo'), role: WorkspaceRole.READ_ONLY });
    ws.addGroupGrant('Eng', { groupName: 'Engineers', role: WorkspaceRole.READ_ONLY, ticket: `${IMPORT_PLACEHOLDER}: ticket`, requestedBy: 'x@acme.example' });
    const f = expectViolation(app, 'SA-AUDIT-001', 'prod/Workspace/Ana', ['ana@agency.example', 'approvedBy, environmentOverride, requestedBy']);
    expect(f.fix).toContain('--approval-reference imported');
    expectViolation(app, 'SA-AUDIT-001', 'prod/Workspace/Eng', ['group "Engineers"', 'placeholder in ticket']);
    expect(findingsOf(app, 'SA-AUDIT-001').map((x) => x.path).sort()).toEqual(['prod/Workspace/Ana', 'prod/Workspace/Eng']);
  });
});
