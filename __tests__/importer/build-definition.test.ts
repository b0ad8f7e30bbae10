import { App } from '../../framework';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CollaboratorKind, Environment, ResourceType, WorkspaceRole } from '../../model/enums';
import { SegmentRoleName as R } from '../../model/role-presets';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { guardrailFindings } from '../../policy/guardrails-aspect';
import { buildImportedDefinition } from '../../importer/build-definition';
import { liveGuardrailReport } from '../../importer/guardrail-report';
import { renderDefinitionModule } from '../../importer/render-module';
import { InviteAgeSource } from '../../importer/live-snapshot';
import { evaluateModule, expectReproduces, NOW, snapshot, user, wsPermission } from './support';

const P = 'wsProd1';
const S = 'wsStage1';
const D = 'wsDev1';
const readOnly = (ws: string) => [R.MINIMAL_WORKSPACE_ACCESS, R.TRACKING_PLAN_READ_ONLY, R.SOURCE_READ_ONLY, R.FUNCTION_READ_ONLY, R.WAREHOUSE_DESTINATION_READ_ONLY, R.UNIFY_AND_ENGAGE_READ_ONLY].map((r) => wsPermission(ws, r));
const admin = (ws: string) => [R.MINIMAL_WORKSPACE_ACCESS, R.SOURCE_ADMIN, R.TRACKING_PLAN_ADMIN, R.FUNCTION_ADMIN, R.WAREHOUSE_DESTINATION_ADMIN, R.UNIFY_AND_ENGAGE_ADMIN].map((r) => wsPermission(ws, r));
const owner = (ws: string) => [wsPermission(ws, R.WORKSPACE_OWNER)];
const memberOnWeb = (ws: string, role: string = R.SOURCE_ADMIN) => [wsPermission(ws, R.MINIMAL_WORKSPACE_ACCESS), wsPermission(ws, R.TRACKING_PLAN_READ_ONLY), { roleName: role, resources: [{ type: ResourceType.SOURCE, id: `${ws}_web`, labels: [] }] }];
const custom = (ws: string) => [wsPermission(ws, R.MINIMAL_WORKSPACE_ACCESS), wsPermission(ws, R.FUNCTION_ADMIN)];

function build(snapshots: Parameters<typeof buildImportedDefinition>[0], approvalReference?: string) {
  return buildImportedDefinition(snapshots, { now: NOW, approvalReference });
}

describe('the imported definition reproduces the live workspaces exactly', () => {
  test('the same person in three workspaces is one collaborator; the same grant needs no override', () => {
    const imported = build([P, S, D].map((ws, i) => snapshot([Environment.PROD, Environment.STAGING, Environment.DEV][i], ws, { users: [user('ana@acme.example', memberOnWeb(ws), 'Ana López')] })));
    expect(imported.definition.collaborators).toHaveLength(1);
    expect(imported.definition.collaborators[0]).toMatchObject({
      id: 'Ana',
      email: 'ana@acme.example',
      displayName: 'Ana López',
      grant: { role: WorkspaceRole.MEMBER, sourceAccess: { Admin: { level: 'ADMIN', sources: ['web'] } } },
    });
    expect(imported.definition.collaborators[0].environments).toBeUndefined();
    expect(imported.differences).toBe(0);
    expectReproduces(imported);
  });

  test('differences become explicit overrides (role, sources, preset <-> custom), absences become absent overrides', () => {
    const imported = build([
      snapshot(Environment.PROD, P, { users: [user('bo@acme.example', owner(P)), user('cy@acme.example', memberOnWeb(P, R.SOURCE_READ_ONLY)), user('di@acme.example', custom(P))] }),
      snapshot(Environment.STAGING, S, { users: [user('bo@acme.example', admin(S)), user('cy@acme.example', memberOnWeb(S)), user('di@acme.example', readOnly(S))] }),
      snapshot(Environment.DEV, D, { users: [user('cy@acme.example', memberOnWeb(D)), user('di@acme.example', custom(D))] }),
    ]);
    const [bo, cy, di] = imported.definition.collaborators;
    expect(bo.grant).toMatchObject({ role: WorkspaceRole.OWNER, justification: expect.stringContaining('TODO(segment-access import)') });
    expect(bo.environments).toEqual({
      staging: { reason: expect.stringContaining('TODO(segment-access import)'), role: WorkspaceRole.ADMIN },
      dev: { reason: 'Not a member of Acme dev when imported on 2026-11-27', absent: true },
    });
    // Admin on web in two environments wins; prod differs only in its SourceAccess, not its role.
    expect(cy.grant).toEqual({ role: WorkspaceRole.MEMBER, sourceAccess: { Admin: { level: 'ADMIN', sources: ['web'] } } });
    expect(cy.environments).toEqual({ prod: { reason: expect.any(String), sourceAccess: { ReadOnly: { level: 'READ_ONLY', sources: ['web'] } } } });
    // CUSTOM in two environments; the READ_ONLY override drops the shared customPermissions.
    expect(di.grant).toMatchObject({ role: WorkspaceRole.CUSTOM, customPermissions: [{ role: R.FUNCTION_ADMIN, workspace: true }, { role: R.MINIMAL_WORKSPACE_ACCESS, workspace: true }] });
    expect(di.environments).toEqual({ staging: { reason: expect.any(String), role: WorkspaceRole.READ_ONLY, customPermissions: [] } });
    expect(imported.differences).toBe(3);
    expectReproduces(imported);
  });

  test('users without permissions, inexpressible permissions, groups, record-free: each left out with the reason', () => {
    const labelled = [{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.WORKSPACE, id: P, labels: [{ key: 'k', value: '1' }, { key: 'k', value: '2' }] }] }];
    const imported = build([
      snapshot(Environment.PROD, P, {
        users: [user('scim@acme.example', []), user('odd@acme.example', labelled), user('ok@acme.example', readOnly(P))],
        groups: [
          { name: 'Engineers', memberCount: 1, memberEmails: ['scim@acme.example'], permissions: memberOnWeb(P) },
          { name: 'Empty', memberCount: 0, memberEmails: [], permissions: [] },
        ],
      }),
    ]);
    expect(imported.definition.collaborators.map((c) => c.email)).toEqual(['ok@acme.example']);
    expect(imported.notImported).toEqual([
      { email: 'odd@acme.example', environment: 'prod', reason: expect.stringContaining('label key "k" twice') },
      { email: 'scim@acme.example', environment: 'prod', reason: expect.stringContaining('member of user group "Engineers"') },
    ]);
    expect(imported.definition.groupGrants).toEqual([
      expect.objectContaining({ id: 'Engineers', groupName: 'Engineers', grant: expect.objectContaining({ role: WorkspaceRole.MEMBER, sourceAccess: { Admin: { level: 'ADMIN', sources: ['web'] } } }) }),
    ]);
    expect(imported.groupsWithoutPermissions).toEqual([{ environment: 'prod', name: 'Empty', memberCount: 0 }]);
    expectReproduces(imported);
    const text = renderDefinitionModule(imported);
    expect(text).toContain('//   prod: odd@acme.example: Source Admin: one grant carries label key "k" twice');
    expect(text).toContain('// prod: user group "Empty" (0 member(s)) holds no permissions: nothing to declare');
  });

  test('pending invites: commented-out entries with their age, an override note where the person is a member elsewhere', () => {
    const imported = build([
      snapshot(Environment.PROD, P, { users: [user('ana@acme.example', readOnly(P))], invites: [{ email: 'new@acme.example', invitedOn: '2026-11-20', ageSource: InviteAgeSource.AUDIT_TRAIL }] }),
      snapshot(Environment.STAGING, S, { invites: [{ email: 'ana@acme.example', invitedOn: null, ageSource: null }] }),
    ]);
    expect(imported.definition.collaborators.map((c) => c.email)).toEqual(['ana@acme.example']);
    expect(imported.pending.map((p) => `${p.environment}:${p.email}`)).toEqual(['staging:ana@acme.example', 'prod:new@acme.example']);
    const text = renderDefinitionModule(imported);
    expect(text).toContain('// new@acme.example: pending invite in prod since 2026-11-20 (7 day(s), from the audit trail)');
    expect(text).toMatch(/\/\/ \{\n\s+\/\/ {3}id: 'New',\n\s+\/\/ {3}email: 'new@acme\.example',/);
    expect(text).toContain('// pending invite in staging, age unknown: confirm it (declare the access here) or delete it in Segment');
    // Nothing commented out is in the definition itself.
    expect(evaluateModule(text).access.collaborators.map((c) => c.email)).toEqual(['ana@acme.example']);
  });

  test('an invite this tool recorded, not declared, is called out: the next deploy would cancel it', () => {
    const imported = build([snapshot(Environment.PROD, P, { invites: [{ email: 'sent@acme.example', invitedOn: '2026-11-25', ageSource: InviteAgeSource.RECORD }] })]);
    const text = renderDefinitionModule(imported);
    expect(text).toContain('recorded as managed by segment-access');
    expect(text).toContain('the next deploy cancels it');
  });

  test('personal mailboxes are imported as PERSON, with the reason beside it', () => {
    const imported = build([snapshot(Environment.PROD, P, { users: [user('sam@gmail.com', readOnly(P))] })]);
    expect(imported.definition.collaborators[0].kind).toBe(CollaboratorKind.PERSON);
    expect(renderDefinitionModule(imported)).toContain("kind: CollaboratorKind.PERSON, // personal mailbox (gmail.com)");
  });
});

describe('what the API cannot say', () => {
  const snapshots = [
    snapshot(Environment.PROD, P, { users: [user('boss@acme.example', owner(P)), user('ana@acme.example', readOnly(P))], groups: [{ name: 'Eng', memberCount: 0, memberEmails: [], permissions: readOnly(P) }] }),
    snapshot(Environment.STAGING, S, { users: [user('ana@acme.example', admin(S))] }),
  ];

  function synthFindings(definition: ReturnType<typeof build>['definition']) {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'sa-import-unit-')), context: { [NOW_CONTEXT_KEY]: NOW.toISOString() } });
    for (const environment of [Environment.PROD, Environment.STAGING]) new SegmentAccessStack(app, environment, { definition, environment });
    return guardrailFindings(app).filter((f) => f.suppressed === null && f.level === 'error');
  }

  test('by default: placeholders that SA-AUDIT-001 rejects, for every grant, group grant and override', () => {
    const imported = build(snapshots);
    const errors = synthFindings(imported.definition);
    expect([...new Set(errors.map((f) => f.ruleId))]).toEqual(['SA-AUDIT-001']);
    expect(errors.map((f) => f.path).sort()).toEqual(['prod/Workspace/Ana', 'prod/Workspace/Boss', 'prod/Workspace/Eng', 'staging/Workspace/Ana']);
    expect(errors.find((f) => f.path === 'staging/Workspace/Ana')!.message).toContain('approvedBy, environmentOverride, justification, requestedBy, ticket');
    const text = renderDefinitionModule(imported);
    expect(text).toContain("export const TODO_TICKET = 'TODO(segment-access import): the ticket or approval reference';");
    expect(text).toContain('ticket: TODO_TICKET,');
  });

  test('--approval-reference: the reference as every ticket, requester and approver "not recorded"; no guardrail error', () => {
    const imported = build(snapshots, 'imported on 2026-11-27 from the live workspace');
    expect(synthFindings(imported.definition)).toEqual([]);
    expect(imported.definition.collaborators[1]).toMatchObject({
      email: 'boss@acme.example',
      ticket: 'imported on 2026-11-27 from the live workspace',
      requestedBy: 'not recorded: access granted before segment-access, imported on 2026-11-27',
      grant: { role: WorkspaceRole.OWNER, justification: 'held this role in the live workspace when imported on 2026-11-27' },
    });
    const text = renderDefinitionModule(imported);
    expect(text).toContain('ticket: IMPORTED,');
    expect(text).not.toContain('TODO(segment-access import)');
  });

  test('the guardrail report runs the rule pack on the live access: personal mailboxes, owners and admins without justification, SSO, seats', () => {
    const live = [
      snapshot(Environment.PROD, P, {
        users: [user('boss@acme.example', owner(P)), user('sam@gmail.com', readOnly(P)), user('ext@studio.example', readOnly(P)), user('ana@acme.example', admin(P))],
        invites: [{ email: 'new@acme.example', invitedOn: null, ageSource: null }],
        declared: { seatLimit: 3, ssoDomains: ['acme.example'] },
      }),
    ];
    const imported = build(live, 'imported');
    const report = liveGuardrailReport(imported, NOW);
    const text = report.lines.join('\n');
    expect(text).toContain('SA-EMAIL-001');
    expect(text).toContain('sam@gmail.com is a personal mailbox (gmail.com)');
    expect(text).toContain('OWNER grant for boss@acme.example in Acme prod (wsProd1) lacks approvedBy, ticket, justification.');
    expect(text).toContain('ADMIN grant for ana@acme.example in Acme prod (wsProd1) has no justification.');
    expect(text).toContain('ext@studio.example is outside the SSO domains of Acme prod (wsProd1)');
    expect(text).toContain('declares 4 collaborator(s) plus 0 retained member(s) = 4 seats, above its limit of 3');
    expect(text).toContain('Seats in prod: 4 member(s) + 1 pending invite(s) = 5 of 3: ABOVE THE LIMIT');
    expect(text).toContain('SA-AUDIT-001 Every grant names its ticket and requester: 4 grant(s)');
    // The file itself carries what was declared to the import.
    expect(imported.definition.workspaces.prod).toMatchObject({ seatLimit: 3, sso: { enforced: true, domains: ['acme.example'] } });
  });
});
