import { test } from '@fast-check/jest';
import { App, TerraformStack } from '../../framework';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { AccessLevel, WorkspaceRole } from '../../model/enums';
import type { DesiredPermission } from '../../model/desired-state';
import { SegmentRoleName } from '../../model/role-presets';
import { SegmentAccessValidationError } from '../../model/validation';
import { collaborator, workspace, workspaceProps } from '../support/fixtures';
import { TEST_NOW } from '../support/synth';
import { fc, numRuns } from '../properties/fast-check-config';
import { findingsOf } from './support';

// Where presets, SourceAccess by labels or sources, CUSTOM permissions and the guardrails that judge
// them meet. The oracle reads only the permissions the grant resolved to (what Segment will be told):
// Workspace Owner anywhere needs the OWNER approval (SA-PRIV-001); an Admin role on the whole
// workspace, or Source Admin over every source of the catalog, needs ADMIN's justification
// (SA-PRIV-002) and an independent approver (SA-SOD-002); a READ_ONLY or MEMBER grant narrowed by
// labels or sources holds no workspace-wide role beyond the base ones.

const R = SegmentRoleName;
/** Every Admin role Segment lists (iam/roles.md), written out: the oracle does not guess from names. */
const ADMIN_ROLES: readonly string[] = [
  R.SOURCE_ADMIN, R.FUNCTION_ADMIN, R.TRACKING_PLAN_ADMIN, R.WAREHOUSE_DESTINATION_ADMIN, R.UNIFY_AND_ENGAGE_ADMIN, R.IDENTITY_ADMIN,
  R.END_USER_PRIVACY_ADMIN, R.ENTITIES_ADMIN,
];
/** The roles a narrowed READ_ONLY or MEMBER still holds on the whole workspace (role-presets.ts workspaceRoles). */
const BASE_ROLES: readonly string[] = [R.MINIMAL_WORKSPACE_ACCESS, R.TRACKING_PLAN_READ_ONLY];
const CATALOG = workspaceProps().sources!;

const narrowingArb = fc.oneof(
  fc.constant(null),
  fc.record({ labels: fc.constantFrom({ environment: 'prod' }, { environment: 'staging' }) }),
  fc.record({ sources: fc.subarray(['web', 'ios', 'lab'], { minLength: 1 }) }),
  fc.constant({ allSources: true as const }),
);
const customArb = fc.record({
  role: fc.constantFrom(R.WORKSPACE_OWNER, R.SOURCE_ADMIN, R.SOURCE_READ_ONLY, R.TRACKING_PLAN_ADMIN, R.MINIMAL_WORKSPACE_ACCESS, R.UNIFY_AND_ENGAGE_ADMIN),
  target: fc.oneof(
    fc.constant({ workspace: true }),
    fc.record({ labels: fc.constantFrom({ environment: 'prod' }, { environment: 'staging' }) }),
    fc.record({ sources: fc.subarray(['web', 'ios', 'lab'], { minLength: 1 }) }),
  ),
});
const grantArb = fc.record({
  role: fc.constantFrom(WorkspaceRole.READ_ONLY, WorkspaceRole.MEMBER, WorkspaceRole.ADMIN, WorkspaceRole.OWNER, WorkspaceRole.CUSTOM),
  level: fc.constantFrom(AccessLevel.READ_ONLY, AccessLevel.ADMIN),
  narrowing: fc.array(narrowingArb, { minLength: 1, maxLength: 2 }),
  custom: fc.array(customArb, { minLength: 1, maxLength: 3 }),
  approvedBy: fc.boolean(),
  ticket: fc.boolean(),
  justification: fc.boolean(),
});
type GrantInput = typeof grantArb extends fc.Arbitrary<infer G> ? G : never;

/** The grant as a construct; undefined when synth refuses its shape (a level or target the preset or role does not allow). */
function build(g: GrantInput) {
  const app = new App({ context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
  const stack = new TerraformStack(app, 'prod');
  const ws = workspace(stack);
  const sourceAccess = Object.fromEntries(
    g.narrowing.flatMap((n, i) => (n === null ? [] : [[`Access${i}`, { level: g.level, ...n }]])),
  );
  try {
    ws.addGrant('Ana', {
      collaborator: collaborator(stack, 'Ana', { approvedBy: g.approvedBy ? 'cto@acme.example' : undefined, ticket: g.ticket ? 'ACCESS-1' : undefined }),
      role: g.role,
      ...(g.justification ? { justification: 'Needed for the engagement.' } : {}),
      ...(g.role === WorkspaceRole.CUSTOM ? { customPermissions: g.custom.map((c) => ({ role: c.role, ...c.target })) } : { sourceAccess }),
    });
    return { app, permissions: ws.desiredState().collaborators[0].permissions };
  } catch (error) {
    if (error instanceof SegmentAccessValidationError) return undefined;
    throw error;
  }
}

const onWholeWorkspace = (p: DesiredPermission) => p.resources.some((r) => r.type === 'WORKSPACE' && r.labels.length === 0);

function sourceAdminOverEverySource(permissions: readonly DesiredPermission[]): boolean {
  const held = permissions.filter((p) => p.roleName === R.SOURCE_ADMIN || p.roleName === R.WORKSPACE_OWNER).flatMap((p) => p.resources);
  return CATALOG.every((s) =>
    held.some((r) => (r.type === 'SOURCE' ? r.id === s.id : r.type === 'WORKSPACE' && r.labels.every((l) => s.labels?.[l.key] === l.value))),
  );
}

test('the privilege rules follow the permissions a grant resolves to, whatever preset, labels or CUSTOM roles produced them', () => {
  const seen = { owner: 0, admin: 0, narrowed: 0, refused: 0 };
  fc.assert(
    fc.property(grantArb, (g) => {
      const built = build(g);
      if (!built) {
        seen.refused++;
        return;
      }
      const { app, permissions } = built;
      const owner = g.role === WorkspaceRole.OWNER || permissions.some((p) => p.roleName === R.WORKSPACE_OWNER);
      const admin = !owner && (g.role === WorkspaceRole.ADMIN || permissions.some((p) => ADMIN_ROLES.includes(p.roleName) && onWholeWorkspace(p)) || sourceAdminOverEverySource(permissions));
      const ownerApproved = g.approvedBy && g.ticket && g.justification;
      expect(findingsOf(app, 'SA-PRIV-001').length).toBe(owner && !ownerApproved ? 1 : 0);
      expect(findingsOf(app, 'SA-PRIV-002').length).toBe(admin && !g.justification ? 1 : 0);
      // The approver must be independent for OWNER and ADMIN (the default privileged roles): none at all is a finding.
      expect(findingsOf(app, 'SA-SOD-002').length).toBe((owner || admin) && !g.approvedBy ? 1 : 0);
      seen.owner += owner ? 1 : 0;
      seen.admin += admin ? 1 : 0;

      const narrowed = (g.role === WorkspaceRole.READ_ONLY || g.role === WorkspaceRole.MEMBER) && g.narrowing.some((n) => n !== null) && g.narrowing.every((n) => n === null || !('allSources' in n));
      if (narrowed) {
        seen.narrowed++;
        expect(permissions.filter(onWholeWorkspace).map((p) => p.roleName).filter((name) => !BASE_ROLES.includes(name))).toEqual([]);
      }
    }),
    { numRuns: numRuns(150) },
  );
  if (numRuns(150) >= 150) {
    expect(seen.owner).toBeGreaterThan(10);
    expect(seen.admin).toBeGreaterThan(10);
    expect(seen.narrowed).toBeGreaterThan(10);
    expect(seen.refused).toBeLessThan(75);
  }
});
