import { allGrantBodies, GuardrailRule, RuleLevel, workspaceLabel } from '../rule';
import { IMPORT_PLACEHOLDER, isImportPlaceholder } from '../placeholders';

export const auditFields: GuardrailRule = {
  id: 'SA-AUDIT-001',
  title: 'Every grant names its ticket and requester',
  level: RuleLevel.ERROR,
  suppressible: false,
  why: 'Checklist: "Log all invitations in your IAM tracker with requester, approver, and date" and the request ticket or approval reference.',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      allGrantBodies(ws).flatMap(({ who, grant }) => {
        const missing = [!grant.audit.ticket && 'ticket', !grant.audit.requestedBy && 'requestedBy'].filter((m): m is string => Boolean(m));
        // An imported definition holds placeholders where the API could not say: they count as not written.
        const fields = { ...grant.audit, environmentOverride: 'environmentOverride' in grant ? grant.environmentOverride : null };
        const placeholders = Object.entries(fields).filter(([, value]) => isImportPlaceholder(value)).map(([field]) => field).sort();
        const out = [];
        if (missing.length) {
          out.push({
            path: grant.path,
            workspaceId: ws.desired.workspace.id,
            subject: who,
            message: `Grant for ${who} in ${workspaceLabel(ws)} has no ${missing.join(' and no ')}.`,
            fix: `Add ${missing.join(' and ')} to the grant or to the collaborator.`,
          });
        }
        if (placeholders.length) {
          out.push({
            path: grant.path,
            workspaceId: ws.desired.workspace.id,
            subject: who,
            message: `Grant for ${who} in ${workspaceLabel(ws)} still holds the "${IMPORT_PLACEHOLDER}" placeholder in ${placeholders.join(', ')}.`,
            fix: 'Write the real value (who asked, who approved, the ticket, why) in the access definition, or re-run `segment-access import --approval-reference imported` to record that this access predates the code.',
          });
        }
        return out;
      }),
    ),
};
