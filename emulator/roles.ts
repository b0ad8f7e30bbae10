import { segmentStyleId } from './ids';
import { ResourceType } from './model';

export interface RoleDefinition {
  id: string;
  name: string;
  description: string;
  /** Resource types the role may be granted on; anything else is a validation error. */
  grantableOn: readonly ResourceType[];
}

export const WORKSPACE_OWNER_ROLE_NAME = 'Workspace Owner';

const WORKSPACE_ONLY: readonly ResourceType[] = ['WORKSPACE'];
const SOURCES: readonly ResourceType[] = ['WORKSPACE', 'SOURCE'];
const WAREHOUSES: readonly ResourceType[] = ['WORKSPACE', 'WAREHOUSE'];
const FUNCTIONS: readonly ResourceType[] = ['WORKSPACE', 'FUNCTION'];
const SPACES: readonly ResourceType[] = ['WORKSPACE', 'SPACE'];

const ROLE_SPECS: ReadonlyArray<[name: string, grantableOn: readonly ResourceType[], description: string]> = [
  [
    WORKSPACE_OWNER_ROLE_NAME,
    WORKSPACE_ONLY,
    'Full read and edit access to everything in the workspace, including billing and access management.',
  ],
  ['Minimal Workspace Access', WORKSPACE_ONLY, 'Base membership of the workspace: can sign in and see the workspace, nothing else.'],
  ['Source Admin', SOURCES, 'Read and edit access to sources and their connected destinations.'],
  ['Source Read-only', SOURCES, 'Read access to sources and their connected destinations.'],
  ['Function Admin', FUNCTIONS, 'Read and edit access to functions.'],
  ['Function Read-only', FUNCTIONS, 'Read access to functions.'],
  ['Tracking Plan Admin', WORKSPACE_ONLY, 'Read and edit access to tracking plans.'],
  ['Tracking Plan Read-only', WORKSPACE_ONLY, 'Read access to tracking plans.'],
  ['Warehouse Destination Admin', WAREHOUSES, 'Read and edit access to warehouse destinations.'],
  ['Warehouse Destination Read-only', WAREHOUSES, 'Read access to warehouse destinations.'],
  ['Unify and Engage Admin', SPACES, 'Read and edit access to Unify and Engage spaces, audiences and traits.'],
  ['Unify and Engage Read-only', SPACES, 'Read access to Unify and Engage spaces, audiences and traits.'],
  ['Identity Admin', SPACES, 'Read and edit access to identity resolution settings of spaces.'],
  ['End User Privacy Admin', SPACES, 'Read and edit access to end-user privacy settings and deletion requests.'],
  ['Entities Admin', SPACES, 'Read and edit access to entities.'],
  ['Entities Read-only', SPACES, 'Read access to entities.'],
];

/** The same catalog in every workspace, with ids that never change between runs. */
export const ROLE_CATALOG: readonly RoleDefinition[] = ROLE_SPECS.map(([name, grantableOn, description]) => ({
  id: segmentStyleId(`role:${name}`),
  name,
  description,
  grantableOn,
}));

export function findRoleById(roleId: string): RoleDefinition | undefined {
  return ROLE_CATALOG.find((role) => role.id === roleId);
}

export function findRoleByName(roleName: string): RoleDefinition | undefined {
  return ROLE_CATALOG.find((role) => role.name === roleName);
}

export function workspaceOwnerRole(): RoleDefinition {
  return ROLE_CATALOG[0];
}
