import { parseAccessRequests } from '../../requests/load';
import { SegmentAccessValidationError } from '../../model/validation';

/** A minimal valid requests file, one collaborator. */
export const ONE = `collaborators:
  - id: Ana
    email: ana@agency.example
    displayName: Ana
    requestedBy: lead@acme.example
    ticket: ACCESS-1
    grant:
      role: READ_ONLY
`;

/** The error parseAccessRequests throws for `text` (fails the test when it throws none, or another kind). */
export function refusal(text: string, file = 'access.yaml'): SegmentAccessValidationError {
  try {
    parseAccessRequests(text, file);
  } catch (error) {
    if (error instanceof SegmentAccessValidationError) return error;
    throw error;
  }
  throw new Error('expected the requests file to be refused');
}
