import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from '../../framework';
import { loadAccessRequests, parseAccessRequests } from '../../requests/load';
import { Environment, WorkspaceRole } from '../../model/enums';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { exampleDefinition } from '../../stacks/example-workspaces';
import { EXAMPLE_ACCESS, EXAMPLE_REQUESTS_FILE } from '../support/example';
import { errorOf } from '../support/validation';
import { TEST_NOW } from '../support/synth';
import { ONE, refusal } from './support';

describe('the access requests file (access.yaml)', () => {
  test("the example app's file reads as the collaborators the TypeScript example declared, field for field", () => {
    const requests = loadAccessRequests(EXAMPLE_REQUESTS_FILE);
    expect(requests.collaborators.map((c) => c.id)).toEqual(['NorthwindImplementation', 'NorthwindLead', 'ReportingService', 'QaContractor']);
    expect(requests.groupGrants).toEqual([]);
    expect(requests.collaborators[1]).toEqual({
      id: 'NorthwindLead',
      email: 'priya.shah@northwind-analytics.example',
      displayName: 'Priya Shah',
      organization: 'Northwind Analytics',
      kind: 'PERSON',
      requestedBy: 'dana.lee@acme.example',
      approvedBy: 'cto@acme.example',
      ticket: 'ACCESS-1043',
      grant: { role: 'READ_ONLY', justification: 'Reviews production data quality; changes go through the implementation account.', expiresOn: '2027-05-14' },
      environments: {
        dev: {
          role: 'ADMIN',
          reason: 'Sets up new sources and destinations in dev before they are promoted.',
          justification: 'Owns the dev workspace configuration during the 2027 H1 engagement.',
          approvedBy: 'head-of-data@acme.example',
        },
      },
    });
  });

  test('YAML 1.2 core schema: "no" stays text and a date stays the text written (YAML 1.1 would make them false and a Date)', () => {
    const { collaborators } = parseAccessRequests(`${ONE}      expiresOn: 2027-05-14\n    organization: no\n`.replace('ticket: ACCESS-1', 'ticket: "0977"'));
    expect(collaborators[0].organization).toBe('no');
    expect(collaborators[0].grant.expiresOn).toBe('2027-05-14');
    expect(collaborators[0].ticket).toBe('0977');
  });

  test('a number where text belongs is refused at its line, with the fix (quote it)', () => {
    const err = refusal(ONE.replace('ticket: ACCESS-1', 'ticket: 1042'));
    expect(err.problems).toEqual([
      expect.objectContaining({ at: 'access.yaml:6:13', field: 'collaborators.0.ticket', received: 1042, fix: 'write the ticket as text; quote it if it is only digits, e.g. "1042".' }),
    ]);
  });

  test('every problem is named once, in file order, with file:line:column, field, value, what is allowed and the fix', () => {
    const err = refusal(
      ['collaborators:', '  - id: Ana', '    email: ana(at)agency.example', '    displayName: Ana', '    grant:', '      role: SUPERUSER', '      expiresOn: 31/03/2027', ''].join('\n'),
    );
    expect(err.problems.map((p) => [p.at, p.field])).toEqual([
      ['access.yaml:3:12', 'collaborators.0.email'],
      ['access.yaml:6:13', 'collaborators.0.grant.role'],
      ['access.yaml:7:18', 'collaborators.0.grant.expiresOn'],
    ]);
    expect(err.message).toBe(
      [
        'Invalid input at access requests "access.yaml":',
        '  - access.yaml:3:12 collaborators.0.email: received "ana(at)agency.example"; allowed: an email address, which has an "@" before its domain (this one has no "@"). Fix: write the service account\'s shared address (not a person\'s), e.g. "segment@agency.example"; for a named individual, set kind to PERSON.',
        '  - access.yaml:6:13 collaborators.0.grant.role: received "SUPERUSER"; allowed: one of "OWNER", "ADMIN", "MEMBER", "READ_ONLY", "CUSTOM". Fix: write one of OWNER, ADMIN, MEMBER, READ_ONLY, or CUSTOM with customPermissions.',
        '  - access.yaml:7:18 collaborators.0.grant.expiresOn: received "31/03/2027"; allowed: a calendar date written YYYY-MM-DD, e.g. "2027-03-31". Fix: write the day the access ends as YYYY-MM-DD, e.g. 2027-03-31.',
      ].join('\n'),
    );
  });

  test('a bad email: a missing "@" is said as such, and the fix names the address of the entry\'s kind', () => {
    const file = (kind: string) => ['collaborators:', '  - id: Priya', '    email: priya.shah.agency.example', '    displayName: Priya', ...(kind ? [`    kind: ${kind}`] : []), '    grant: { role: READ_ONLY }', ''].join('\n');
    const person = refusal(file('PERSON')).problems[0];
    expect(person).toMatchObject({ at: 'access.yaml:3:12', allowed: 'an email address, which has an "@" before its domain (this one has no "@")' });
    expect(person.fix).toBe('write the person\'s own work address, e.g. "priya.shah@agency.example".');
    expect(refusal(file('CONTRACTOR')).problems[0].fix).toContain('the contractor\'s work address');
    expect(refusal(file('')).problems[0].fix).toContain('the service account\'s shared address');
    // A kind that is itself wrong: the default's fix (the kind gets its own problem).
    expect(refusal(file('ROBOT')).problems.map((p) => p.field)).toEqual(['collaborators.0.email', 'collaborators.0.kind']);
  });

  test('a missing field points at its entry; a misspelt key at itself', () => {
    const err = refusal(ONE.replace('    displayName: Ana\n', '').replace('      role: READ_ONLY', '      role: READ_ONLY\n      justifcation: needs it'));
    expect(err.problems).toEqual([
      expect.objectContaining({ at: 'access.yaml:2:5', field: 'collaborators.0.displayName', received: undefined }),
      expect.objectContaining({ at: 'access.yaml:8:7', field: 'collaborators.0.grant.justifcation', fix: 'remove or correct the misspelt key "justifcation".' }),
    ]);
  });

  test('ids and emails are used once each', () => {
    const err = refusal(`${ONE}${ONE.replace('collaborators:\n', '').replace('ana@', 'ANA@')}`);
    expect(err.problems.map((p) => [p.at, p.field])).toEqual([
      ['access.yaml:9:9', 'collaborators.1.id'],
      ['access.yaml:10:12', 'collaborators.1.email'],
    ]);
    expect(err.message).toContain('already used by collaborators.0');
  });

  test('a group grant and an environment override take the same fields; an unknown environment is named', () => {
    const text = `${ONE}    environments:\n      qa: { reason: "QA has its own workspace.", absent: true }\ngroupGrants:\n  - id: Analysts\n    groupName: analysts\n    grant: { role: READ_ONLY, ticket: ACCESS-9, requestedBy: lead@acme.example }\n`;
    const err = refusal(text);
    expect(err.problems).toEqual([expect.objectContaining({ at: 'access.yaml:10:7', field: 'collaborators.0.environments.qa', fix: 'use the keys prod, staging and dev (not "qa").' })]);
    const ok = parseAccessRequests(text.replace('qa:', 'prod:'));
    expect(ok.groupGrants).toEqual([{ id: 'Analysts', groupName: 'analysts', grant: { role: 'READ_ONLY', ticket: 'ACCESS-9', requestedBy: 'lead@acme.example' } }]);
  });

  test('fails: a file that does not exist, naming it and the fix', () => {
    const err = errorOf(() => loadAccessRequests('/nonexistent/access.yaml'));
    expect(err.message).toBe('Invalid input at access requests "/nonexistent/access.yaml":\n  - (file): received "no such file"; allowed: a readable access requests file. Fix: create /nonexistent/access.yaml (see docs/requests-and-controls.md), or pass the path of the requests file.');
  });

  test('a synth error about an entry of the file names where the entry is declared', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-requests-'));
    const file = join(dir, 'access.yaml');
    writeFileSync(file, `${ONE}      sourceAccess:\n        Web: { level: READ_ONLY, sources: [webb] }\n`.replace('role: READ_ONLY', 'role: MEMBER'));
    const app = new App({ outdir: dir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
    const err = errorOf(() => new SegmentAccessStack(app, 'prod', { definition: exampleDefinition(loadAccessRequests(file)), environment: Environment.PROD }));
    expect(err.where).toBe(`SourceAccess "prod/Workspace/Ana/Web" (declared at ${file}:2:5)`);
    expect(err.problems[0]).toMatchObject({ field: 'sources.0', received: 'webb' });
  });

  test('the TypeScript AccessDefinition keeps working beside it: the example built in code synthesizes the same', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'sa-requests-')), context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
    const stack = new SegmentAccessStack(app, 'prod', {
      definition: { ...EXAMPLE_ACCESS, collaborators: EXAMPLE_ACCESS.collaborators.map((c) => ({ ...c, grant: { ...c.grant, role: c.grant.role as WorkspaceRole } })) },
      environment: Environment.PROD,
    });
    expect(stack.grants.map((g) => g.collaborator.email)).toEqual([
      'segment@northwind-analytics.example',
      'priya.shah@northwind-analytics.example',
      'bi-reporting@acme.example',
    ]);
  });
});
