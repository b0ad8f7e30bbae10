import { segmentStyleId } from './ids';
import { PlanTier, ResourceType } from './model';

export interface RoleDefinition {
  id: string;
  name: string;
  description: string;
  /** Resource types the role may be granted on; anything else is a 422. */
  grantableOn: readonly ResourceType[];
  /** Whether a grant may be narrowed by labels (always on the WORKSPACE resource). */
  labelScoped: boolean;
  /** Offered on Team (and Free) plans too, not only on Business. */
  onTeamPlan: boolean;
}

export const WORKSPACE_OWNER_ROLE_NAME = 'Workspace Owner';
/** The one role id Segment publishes: the SDK's examples grant Workspace Owner as `1WDUuRLxv84rrfCNUwvkrRtkxnS`. */
const WORKSPACE_OWNER_ROLE_ID = '1WDUuRLxv84rrfCNUwvkrRtkxnS';

// Scopes from segment-docs src/segment-app/iam/roles.md: "Grants access to *all* ..." roles are
// workspace-wide only; Source, Function and Unify/Engage roles also take specific resources.
const ALL_ONLY: readonly ResourceType[] = ['WORKSPACE'];
const SOURCES: readonly ResourceType[] = ['WORKSPACE', 'SOURCE'];
const FUNCTIONS: readonly ResourceType[] = ['WORKSPACE', 'FUNCTION'];
const SPACES: readonly ResourceType[] = ['WORKSPACE', 'SPACE'];

interface RoleSpec {
  name: string;
  grantableOn: readonly ResourceType[];
  description: string;
  /** segment-docs iam/labels.md: labels narrow Source Admin/Read-only and the Engage (Unify) roles. @default false */
  labelScoped?: boolean;
  /** segment-docs iam/membership.md: "Free or Team plans can only grant the workspace owner and source admin roles". @default false */
  onTeamPlan?: boolean;
}

const ROLE_SPECS: readonly RoleSpec[] = [
  {
    name: WORKSPACE_OWNER_ROLE_NAME,
    grantableOn: ALL_ONLY,
    onTeamPlan: true,
    description: 'Full read and edit access to everything in the workspace, including billing and access management.',
  },
  { name: 'Workspace Member', grantableOn: ALL_ONLY, description: 'Members inherit custom permissions based on the individual roles assigned.' },
  { name: 'Minimal Workspace Access', grantableOn: ALL_ONLY, description: 'Access to only log into a workspace; cannot view any resources or settings.' },
  { name: 'Source Admin', grantableOn: SOURCES, labelScoped: true, onTeamPlan: true, description: 'Edit access to assigned sources and their connected destinations.' },
  { name: 'Source Read-only', grantableOn: SOURCES, labelScoped: true, description: 'Read access to assigned sources and their connected destinations.' },
  { name: 'Function Admin', grantableOn: FUNCTIONS, description: 'Create, edit and delete access to assigned functions.' },
  { name: 'Function Read-only', grantableOn: FUNCTIONS, description: 'Read access to assigned functions.' },
  { name: 'Tracking Plan Admin', grantableOn: ALL_ONLY, description: 'Edit access to all Tracking Plans in Protocols.' },
  { name: 'Tracking Plan Read-only', grantableOn: ALL_ONLY, description: 'Read access to all Tracking Plans in Protocols.' },
  { name: 'Warehouse Destination Admin', grantableOn: ALL_ONLY, description: 'Edit access to all warehouse destinations and their settings.' },
  { name: 'Warehouse Destination Read-only', grantableOn: ALL_ONLY, description: 'Read access to all warehouse destinations and their settings.' },
  { name: 'Unify and Engage Admin', grantableOn: SPACES, labelScoped: true, description: 'Edit access to Unify settings and Engage audiences, traits, journeys and content.' },
  { name: 'Unify and Engage Read-only', grantableOn: SPACES, labelScoped: true, description: 'Read access to Unify settings and Engage audiences, traits, journeys and content.' },
  {
    name: 'Unify Read-only, Engage User',
    grantableOn: SPACES,
    labelScoped: true,
    description: 'Read access to Unify settings; edit access to Engage audiences, traits, journeys and content.',
  },
  { name: 'Identity Admin', grantableOn: ALL_ONLY, description: 'Edit access to all Identity settings in Unify.' },
  { name: 'End User Privacy Admin', grantableOn: ALL_ONLY, description: 'Edit access to End User Privacy settings, suppression and deletion.' },
  // Named in design.md section 3; roles.md does not give their scope: assumed like the other space roles.
  { name: 'Entities Admin', grantableOn: SPACES, description: 'Edit access to entities.' },
  { name: 'Entities Read-only', grantableOn: SPACES, description: 'Read access to entities.' },
];

/**
 * Every role, with ids that never change between runs. Only Workspace Owner's id is Segment's own;
 * the others are invented (stable, Segment-shaped) and a client must look them up by name.
 */
export const ROLE_CATALOG: readonly RoleDefinition[] = ROLE_SPECS.map((spec) => ({
  id: spec.name === WORKSPACE_OWNER_ROLE_NAME ? WORKSPACE_OWNER_ROLE_ID : segmentStyleId(`role:${spec.name}`),
  name: spec.name,
  description: spec.description,
  grantableOn: spec.grantableOn,
  labelScoped: spec.labelScoped ?? false,
  onTeamPlan: spec.onTeamPlan ?? false,
}));

/** The roles `GET /roles` lists for a workspace on this plan. */
export function rolesForTier(tier: PlanTier): readonly RoleDefinition[] {
  return tier === 'team' ? ROLE_CATALOG.filter((role) => role.onTeamPlan) : ROLE_CATALOG;
}

export function findRoleById(roleId: string): RoleDefinition | undefined {
  return ROLE_CATALOG.find((role) => role.id === roleId);
}

export function findRoleByName(roleName: string): RoleDefinition | undefined {
  return ROLE_CATALOG.find((role) => role.name === roleName);
}

export function workspaceOwnerRole(): RoleDefinition {
  return ROLE_CATALOG[0];
}
