import { z } from 'zod';
import { WorkspaceRole } from '../model/enums';
import { CustomPermissionSchema } from './custom-permission';
import { optionalText } from './schemas';

/**
 * The data fields of a grant (no constructs): shared by the grant constructs and the access requests
 * file. Kept apart from the constructs so that checking a requests file loads no cdktf.
 */
export const grantDataFields = {
  role: z.enum(WorkspaceRole),
  justification: optionalText('a justification'),
  ticket: optionalText('a ticket or approval reference'),
  requestedBy: optionalText('who requested the access'),
  approvedBy: optionalText('who approved the access'),
  customPermissions: z.array(CustomPermissionSchema).default([]),
};
