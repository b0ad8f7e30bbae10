import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../../model/enums';
import { SegmentRoleName } from '../../model/role-presets';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import type { AccessDefinition } from '../../stacks/access-definition';
import { collaborator, workspaceProps } from '../support/fixtures';
import { errorOf } from '../support/validation';
import { expectViolation, findingsOf, newApp, setup, withoutContinueOnError } from './support';

// The guardrails judge what a grant resolves to (preset overrides, CUSTOM grants, label scope), never
// the preset's name: Admin-level access needs what ADMIN needs, Workspace Owner what OWNER needs.

const R = SegmentRoleName;
const EVERY_ADMIN_ROLE = [R.MINIMAL_WORKSPACE_ACCESS, R.SOURCE_ADMIN, R.TRACKING_PLAN_ADMIN, R.FUNCTION_ADMIN, R.WAREHOUSE_DESTINATION_ADMIN, R.UNIFY_AND_ENGAGE_ADMIN];
/** A prod workspace whose sources all carry environment=prod, as a real one's do. */
const ALL_PROD: Partial<SegmentWorkspaceProps> = {
  sources: [
    { id: 'src_web', name: 'web', labels: { environment: 'prod' } },
    { id: 'src_ios', name: 'ios', labels: { environment: 'prod' } },
  ],
};

function member(props: Partial<SegmentWorkspaceProps>, grant: Record<string, unknown>) {
  const s = setup(props);
  s.ws.addGrant('Ana', { collaborator: collaborator(s.stack, 'Ana'), role: WorkspaceRole.MEMBER, ...grant });
  return s;
}

describe('guardrails judge the roles a grant resolves to', () => {
  withoutContinueOnError();

  test('a MEMBER preset widened to every Admin role fails synth without a justification, as ADMIN would (the red team\'s preset)', () => {
    const { app, ws } = member({ rolePresets: { [WorkspaceRole.MEMBER]: { workspaceRoles: EVERY_ADMIN_ROLE, description: 'Everything, quietly.' } } }, {});
    expectViolation(app, 'SA-PRIV-002', `${ws.node.path}/Ana`, ['MEMBER (holds workspace-wide Admin roles) grant for ana@agency.example', 'has no justification']);
    expect(() => app.synth()).toThrow('[prod/Workspace/Ana] [SA-PRIV-002]');
  });

  test('the same widened preset with a justification passes, and its permissions read in the plan', () => {
    const { app, ws } = member({ rolePresets: { [WorkspaceRole.MEMBER]: { workspaceRoles: EVERY_ADMIN_ROLE, description: 'Everything.' } } }, { justification: 'Runs the whole tracking setup for the launch.' });
    expect(findingsOf(app, 'SA-PRIV-002')).toEqual([]);
    expect(ws.grants[0].planSummary().permissions).toContain('Source Admin on workspace');
  });

  test('a preset widened to Workspace Owner needs what OWNER needs', () => {
    const { app, ws } = member({ rolePresets: { [WorkspaceRole.MEMBER]: { workspaceRoles: [R.WORKSPACE_OWNER], description: 'Owner.' } } }, {});
    expectViolation(app, 'SA-PRIV-001', `${ws.node.path}/Ana`, ['MEMBER (holds Workspace Owner) grant for ana@agency.example', 'lacks justification']);
  });

  test.each([
    ['Source Admin by a label every source carries (the red team\'s case)', ALL_PROD, { sourceAccess: { Prod: { level: AccessLevel.ADMIN, labels: { environment: 'prod' } } } }],
    ['Source Admin on every source of the catalog by name', ALL_PROD, { sourceAccess: { All: { level: AccessLevel.ADMIN, sources: ['web', 'ios'] } } }],
    ['Source Admin on every source (allSources)', {}, { sourceAccess: { All: { level: AccessLevel.ADMIN, allSources: true } } }],
    ['Source Admin by a label, in a workspace that declares no source catalog (cannot be shown narrower)', { sources: [] }, { sourceAccess: { Prod: { level: AccessLevel.ADMIN, labels: { environment: 'prod' } } } }],
  ])('ADMIN-level: %s needs a justification', (_what, props, grant) => {
    const { app, ws } = member(props, grant);
    expectViolation(app, 'SA-PRIV-002', `${ws.node.path}/Ana`, ['MEMBER (holds workspace-wide Admin roles)']);
  });

  test('a CUSTOM label-scoped Source Admin over every source is ADMIN-level too', () => {
    const s = setup(ALL_PROD);
    s.ws.addGrant('Ana', { collaborator: collaborator(s.stack, 'Ana'), role: WorkspaceRole.CUSTOM, customPermissions: [{ role: R.SOURCE_ADMIN, labels: { environment: 'prod' } }] });
    expectViolation(s.app, 'SA-PRIV-002', `${s.ws.node.path}/Ana`, ['CUSTOM (holds workspace-wide Admin roles)']);
  });

  test.each([
    ['a label that leaves a source out', { sourceAccess: { Prod: { level: AccessLevel.ADMIN, labels: { environment: 'prod' } } } }],
    ['some sources by name', { sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web', 'ios'] } } }],
    ['every source, read-only', { sourceAccess: { All: { level: AccessLevel.READ_ONLY, allSources: true } } }],
  ])('not ADMIN-level: %s', (_what, grant) => {
    // The fixture's catalog has a staging-labelled source ("lab") besides the two prod ones.
    const { app } = member({}, grant);
    expect(findingsOf(app, 'SA-PRIV-002')).toEqual([]);
  });
});

describe('suppressions are code, on the stack, by grant id', () => {
  withoutContinueOnError();

  const definition = (workspace: SegmentWorkspaceProps): AccessDefinition => ({
    workspaces: { [Environment.PROD]: workspace },
    collaborators: [
      { id: 'Pat', email: 'pat@agency.example', displayName: 'Pat', kind: CollaboratorKind.PERSON, requestedBy: 'lead@acme.example', ticket: 'ACCESS-3', grant: { role: WorkspaceRole.READ_ONLY } },
    ],
  });

  test('a suppression for a collaborator id answers the rule and is shown with its reason in the inventory', () => {
    const { app, outdir } = newApp();
    const reason = 'Permanent staff, reviewed every quarter (SEC-40).';
    new SegmentAccessStack(app, 'prod', { definition: definition(workspaceProps()), environment: Environment.PROD, suppressions: { Pat: [{ ruleId: 'SA-EXP-003', reason }] } });
    expect(findingsOf(app, 'SA-EXP-003')).toEqual([expect.objectContaining({ suppressed: { reason, path: 'prod/Workspace/Pat' } })]);
    app.synth();
    expect(readFileSync(join(outdir, 'records', 'inventory.csv'), 'utf8')).toContain(`SA-EXP-003: ${reason}`);
  });

  test('fails: a suppression for an id no collaborator or group grant has', () => {
    const { app, outdir } = newApp();
    const err = errorOf(() => new SegmentAccessStack(app, 'prod', { definition: definition(workspaceProps()), environment: Environment.PROD, suppressions: { Patt: [{ ruleId: 'SA-EXP-003', reason: 'A reason long enough.' }] } }));
    expect(err.problems[0]).toMatchObject({ field: 'suppressions.Patt', received: 'Patt' });
    expect(existsSync(join(outdir, 'records'))).toBe(false);
  });
});
