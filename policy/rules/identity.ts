import { activeGrants, emailDomain, GuardrailRule, RuleLevel, workspaceLabel } from '../rule';

export const ssoDomain: GuardrailRule = {
  id: 'SA-SSO-001',
  title: 'Emails match the SSO domains of SSO-enforced workspaces',
  level: RuleLevel.ERROR,
  suppressible: true,
  why: 'Checklist: "Verify the user\'s email domain is authorized for SSO". Outside the SSO domains the collaborator cannot log in once SSO is enforced.',
  check: (model) =>
    model.workspaces.flatMap((ws) => {
      const sso = ws.desired.workspace.sso;
      if (!sso.enforced) return [];
      return activeGrants(ws)
        .filter((g) => !sso.domains.includes(emailDomain(g.email)))
        .map((g) => ({
          path: g.path,
          workspaceId: ws.desired.workspace.id,
          subject: g.email,
          message: `${g.email} is outside the SSO domains of ${workspaceLabel(ws)} (${sso.domains.join(', ') || 'none declared'}), which enforces SSO.`,
          fix: 'Use the collaborator\'s address at an SSO domain, or add the domain to the identity provider and to sso.domains first.',
        }));
    }),
};

export const scimUsesGroups: GuardrailRule = {
  id: 'SA-SCIM-001',
  title: 'SCIM workspaces get group grants, not individual invites',
  level: RuleLevel.ERROR,
  suppressible: true,
  why: 'Checklist: "Manual invitations may conflict with SCIM". With SCIM the identity provider owns membership; manual invites are overridden or duplicated.',
  check: (model) =>
    model.workspaces.flatMap((ws) => {
      if (!ws.desired.workspace.scim.enabled) return [];
      return activeGrants(ws).map((g) => ({
        path: g.path,
        workspaceId: ws.desired.workspace.id,
        subject: g.email,
        message: `${workspaceLabel(ws)} is provisioned by SCIM, but ${g.email} is granted individually.`,
        fix: 'Add the person to an identity-provider group and grant that group with workspace.addGroupGrant(); or suppress with the documented exception.',
      }));
    }),
};
