import { CollaboratorKind } from '../../model/enums';
import { activeGrants, emailDomain, GuardrailRule, RuleLevel, workspaceLabel } from '../rule';
import { deepFreeze } from '../../model/deep-freeze';

/** Free mailbox providers: an address there belongs to a person, not to an organisation. */
export const PERSONAL_EMAIL_DOMAINS: readonly string[] = deepFreeze([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'ymail.com',
  'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'pm.me', 'gmx.com', 'gmx.de',
  'web.de', 'mail.com', 'yandex.com', 'yandex.ru', 'zoho.com', 'fastmail.com', 'hey.com', 'tutanota.com',
]);

export const serviceAccountEmail: GuardrailRule = {
  id: 'SA-EMAIL-001',
  title: 'Service accounts use organisation mailboxes',
  level: RuleLevel.ERROR,
  suppressible: true,
  why: 'Checklist: "Gather the collaborator\'s service account email (not a personal address)". A personal mailbox leaves with the person and escapes the organisation\'s offboarding.',
  check: (model, options) =>
    model.workspaces.flatMap((ws) =>
      activeGrants(ws)
        .filter((g) => g.kind === CollaboratorKind.SERVICE_ACCOUNT && options.personalEmailDomains.includes(emailDomain(g.email)))
        .map((g) => ({
          path: g.path,
          workspaceId: ws.desired.workspace.id,
          subject: g.email,
          message: `${g.email} is a personal mailbox (${emailDomain(g.email)}) but is declared as a service account in ${workspaceLabel(ws)}.`,
          fix: 'Use the organisation\'s shared service-account address, or declare kind: CollaboratorKind.PERSON for a named individual.',
        })),
    ),
};

export const allowedEmailDomain: GuardrailRule = {
  id: 'SA-EMAIL-002',
  title: 'Collaborator emails are on the allow-list',
  level: RuleLevel.ERROR,
  suppressible: true,
  why: 'Only organisations under contract may be invited; an allow-list of their domains catches typos and unapproved parties.',
  check: (model, options) =>
    model.workspaces.flatMap((ws) => {
      const allowed = ws.allowedEmailDomains ?? options.allowedEmailDomains;
      if (!allowed) return [];
      return activeGrants(ws)
        .filter((g) => !allowed.includes(emailDomain(g.email)))
        .map((g) => ({
          path: g.path,
          workspaceId: ws.desired.workspace.id,
          subject: g.email,
          message: `${g.email} is outside the allowed email domains of ${workspaceLabel(ws)} (${allowed.join(', ')}).`,
          fix: 'Use an address at an allowed domain, or add the domain to allowedEmailDomains once the organisation is approved.',
        }));
    }),
};
