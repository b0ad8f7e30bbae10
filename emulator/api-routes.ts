import { catalogRoutes } from './catalog-routes';
import { groupRoutes } from './group-routes';
import { inviteRoutes } from './invite-routes';
import { Route } from './router';
import { userRoutes } from './user-routes';
import { workspaceRoutes } from './workspace-routes';

/** The IAM subset of Segment's Public API that the emulator serves. */
export const SEGMENT_API_ROUTES: readonly Route[] = [...workspaceRoutes, ...userRoutes, ...inviteRoutes, ...groupRoutes, ...catalogRoutes];
