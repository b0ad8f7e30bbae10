import { AccessDefinition, loadAccessRequests } from 'segment-access';
import { WORKSPACES } from './workspaces';

/** The access definition: the workspaces (code the platform team owns) and the requests (data anyone may propose). */
export function accessDefinition(): AccessDefinition {
  return { workspaces: WORKSPACES, ...loadAccessRequests('access.yaml') };
}
