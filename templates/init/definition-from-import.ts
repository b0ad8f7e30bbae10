import { AccessDefinition, loadAccessRequests } from 'segment-access';
import { ACCESS } from './imported-access';

/**
 * The access definition: what `segment-access import` read from the live workspaces (imported-access.ts:
 * code the platform team owns, so the first deploy adopts everyone and changes no one's access), joined
 * with new requests (access.yaml, data anyone may propose). An id or email in both stops synth.
 */
export function accessDefinition(): AccessDefinition {
  const requests = loadAccessRequests('access.yaml');
  return {
    workspaces: ACCESS.workspaces,
    collaborators: [...ACCESS.collaborators, ...requests.collaborators],
    groupGrants: [...(ACCESS.groupGrants ?? []), ...requests.groupGrants],
  };
}
