import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { App, TerraformStack } from '../../framework';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { AccessLevel, CollaboratorKind, Environment, Region, WorkspaceRole } from '../../model/enums';
import { DEFAULT_ROLE_PRESETS } from '../../model/role-presets';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { applySegmentAccessPolicy } from '../../stacks/apply-policy';
import type { AccessDefinition, CollaboratorAccess } from '../../stacks/access-definition';
import { EXAMPLE_ACCESS } from '../support/example';
import { collaborator, workspace } from '../support/fixtures';
import { ENVIRONMENTS, readDesiredState, synthApp, TEST_NOW } from '../support/synth';
import { parseCsv, parseMarkdownTable } from '../support/output-decoding';
import { GuardrailSuppressions } from '../../policy/suppressions';

// ---------------------------------------------------------------------------------------------
// helpers

const WS = { prod: 'AcmeProdWs7Qd2', staging: 'AcmeStageWs4Lk9', dev: 'AcmeDevWs1Xp3' } as const;
const APP_FILES = ['access-matrix.csv', 'access-matrix.md', 'handoff-notes.md', 'inventory.csv', 'inventory.json', 'inventory.md'];

function read(...parts: string[]): string {
  return readFileSync(join(...parts), 'utf8');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every records file of a synth, relative to the outdir. */
function recordFiles(outdir: string): string[] {
  return filesUnder(join(outdir, 'records')).map((p) => p.slice(outdir.length + 1)).sort();
}

/** A hand-off note split into its per-workspace sections, keyed by the heading. */
function sections(note: string): Map<string, string> {
  const parts = note.split('\n## ').slice(1);
  return new Map(parts.map((p) => [p.slice(0, p.indexOf('\n')), p]));
}

interface InventoryJson {
  asOf: string;
  grants: Record<string, string>[];
  findings: { ruleId: string; level: string; path: string; subject: string | null; message: string; suppressed: { reason: string; path: string } | null }[];
}

function inventory(outdir: string): InventoryJson {
  return JSON.parse(read(outdir, 'records', 'inventory.json'));
}

/** Each collaborator's note from the hand-off document, by email. */
function notes(outdir: string): Map<string, string> {
  const text = read(outdir, 'records', 'handoff-notes.md');
  const parts = text.split(/^<!-- hand-off note: (.+) -->\n/m).slice(1);
  const out = new Map<string, string>();
  for (let i = 0; i < parts.length; i += 2) out.set(parts[i], parts[i + 1]);
  return out;
}

function noteOf(outdir: string, email: string): string {
  const found = notes(outdir).get(email);
  if (found === undefined) throw new Error(`no hand-off note for ${email}`);
  return found;
}

/** An app with one bare stack ("eu") under the guardrail policy, writing its records to a fresh folder. */
function bareApp(): { app: App; outdir: string; stack: TerraformStack } {
  const outdir = mkdtempSync(join(tmpdir(), 'sa-records-'));
  const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
  const stack = new TerraformStack(app, 'eu');
  applySegmentAccessPolicy(stack);
  return { app, outdir, stack };
}

function row(inv: InventoryJson, environment: string, subject: string): Record<string, string> {
  const found = inv.grants.filter((g) => g.environment === environment && g.subject === subject);
  expect(found).toHaveLength(1);
  return found[0];
}

// ---------------------------------------------------------------------------------------------
// an extended definition: the example plus a warehouse user with awkward text, an expired grant,
// a grant ending soon (warning) and a suppressed warning.

const AWKWARD_JUSTIFICATION = 'Models "orders", "events" and users,\nin Snowflake';
const SUPPRESSION_REASON = 'Permanent member of the data platform on-call rota.';

const EXTRA: CollaboratorAccess[] = [
  {
    id: 'WarehouseModeller',
    email: 'dwh@northwind-analytics.example',
    displayName: 'Northwind, "DWH" team',
    organization: 'Northwind Analytics',
    requestedBy: 'dana.lee@acme.example',
    approvedBy: 'cto@acme.example',
    ticket: 'ACCESS-2001',
    grant: {
      role: WorkspaceRole.MEMBER,
      justification: AWKWARD_JUSTIFICATION,
      sourceAccess: { Dwh: { level: AccessLevel.READ_ONLY, sources: ['server'], warehouses: ['snowflake'] } },
    },
  },
  {
    id: 'FormerAnalyst',
    email: 'former.analyst@northwind-analytics.example',
    displayName: 'Former Analyst',
    kind: CollaboratorKind.PERSON,
    requestedBy: 'dana.lee@acme.example',
    approvedBy: 'cto@acme.example',
    ticket: 'ACCESS-0900',
    grant: { role: WorkspaceRole.READ_ONLY, expiresOn: '2026-11-20' },
  },
  {
    id: 'ShortTerm',
    email: 'short.term@contractors.acme.example',
    displayName: 'Short Term',
    kind: CollaboratorKind.CONTRACTOR,
    requestedBy: 'dana.lee@acme.example',
    approvedBy: 'cto@acme.example',
    ticket: 'ACCESS-2002',
    grant: { role: WorkspaceRole.READ_ONLY, expiresOn: '2026-12-04' },
  },
  {
    id: 'DataPlatform',
    email: 'ops@acme.example',
    displayName: 'Data platform on-call',
    kind: CollaboratorKind.PERSON,
    requestedBy: 'bi-team@acme.example',
    approvedBy: 'data-governance@acme.example',
    ticket: 'ACCESS-2003',
    grant: { role: WorkspaceRole.READ_ONLY, suppressions: [{ ruleId: 'SA-EXP-003', reason: SUPPRESSION_REASON }] },
  },
];

const EXTENDED: AccessDefinition = { ...EXAMPLE_ACCESS, collaborators: [...EXAMPLE_ACCESS.collaborators, ...EXTRA] };

// ---------------------------------------------------------------------------------------------

describe('records of the example app', () => {
  const outdir = synthApp(EXAMPLE_ACCESS);

  test('are written once for the whole app (records/), not per stack; one hand-off note per collaborator in one document', () => {
    expect(readdirSync(join(outdir, 'records')).sort()).toEqual(APP_FILES);
    for (const env of ENVIRONMENTS) expect(existsSync(join(outdir, 'stacks', env, 'records'))).toBe(false);
    expect([...notes(outdir).keys()]).toEqual([
      'bi-reporting@acme.example',
      'jonas.weber@contractors.acme.example',
      'priya.shah@northwind-analytics.example',
      'segment@northwind-analytics.example',
    ]);
  });

  test('inventory.json: one row per grant, each with the IAM-tracker fields', () => {
    const inv = inventory(outdir);
    expect(inv.asOf).toBe('2026-11-27');
    // 4 collaborators in staging and dev, 3 in prod (the contractor is absent there).
    expect(inv.grants).toHaveLength(11);
    expect(row(inv, 'prod', 'segment@northwind-analytics.example')).toEqual({
      stack: 'prod',
      environment: 'prod',
      workspaceName: 'Acme Production',
      workspaceId: WS.prod,
      subject: 'segment@northwind-analytics.example',
      subjectKind: 'SERVICE_ACCOUNT',
      displayName: 'Northwind Analytics implementation team',
      organization: 'Northwind Analytics',
      status: 'active',
      role: 'MEMBER',
      segmentPermissions:
        'Minimal Workspace Access on workspace; Source Admin on source ios (srcProdIos01), source web (srcProdWeb01); Tracking Plan Read-only on workspace',
      sources: 'ios (ADMIN); web (ADMIN)',
      destinations: 'Amplitude via web',
      warehouses: '',
      ticket: 'ACCESS-1042',
      requestedBy: 'dana.lee@acme.example',
      approvedBy: 'cto@acme.example',
      justification: 'Implements web and iOS tracking and runs the Amplitude destination.',
      expiresOn: '',
      environmentOverride: '',
      warnings: '',
      suppressions: '',
    });
    const lead = row(inv, 'dev', 'priya.shah@northwind-analytics.example');
    expect(lead).toMatchObject({
      subjectKind: 'PERSON',
      workspaceName: 'Acme Development',
      workspaceId: WS.dev,
      role: 'ADMIN',
      expiresOn: '2027-05-14',
      environmentOverride: 'Sets up new sources and destinations in dev before they are promoted.',
      justification: 'Owns the dev workspace configuration during the 2027 H1 engagement.',
    });
    expect(lead.segmentPermissions).toContain('Source Admin on workspace');
    expect(row(inv, 'staging', 'jonas.weber@contractors.acme.example')).toMatchObject({
      subjectKind: 'CONTRACTOR',
      role: 'MEMBER',
      sources: 'ios (READ_ONLY)',
      segmentPermissions: expect.stringContaining('Source Read-only on source ios (srcStagingIos01)'),
      ticket: 'ACCESS-1101',
      expiresOn: '2027-02-26',
    });
    expect(inv.grants.filter((g) => g.subject === 'jonas.weber@contractors.acme.example').map((g) => g.environment).sort()).toEqual(['dev', 'staging']);
    for (const g of inv.grants) {
      for (const field of ['ticket', 'requestedBy', 'approvedBy', 'justification', 'role', 'segmentPermissions', 'workspaceId']) expect(g[field]).not.toBe('');
    }
  });

  test('the app inventory holds every stack, each row naming its stack and environment', () => {
    const inv = inventory(outdir);
    for (const env of ENVIRONMENTS) {
      const rows = inv.grants.filter((g) => g.stack === env);
      expect(rows.length).toBe(readDesiredState(outdir, env, WS[env]).collaborators.length);
      expect(new Set(rows.map((g) => g.environment))).toEqual(new Set([env]));
    }
    expect(read(outdir, 'records', 'inventory.md')).toContain('# IAM-tracker inventory: all environments');
  });

  test('inventory.csv parses back to exactly the rows of inventory.json', () => {
    const inv = inventory(outdir);
    const [header, ...rows] = parseCsv(read(outdir, 'records', 'inventory.csv'));
    expect(header).toEqual(Object.keys(inv.grants[0]));
    expect(rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])))).toEqual(inv.grants);
  });

  test('the access matrix has one row per collaborator, the role per environment and "-" where absent', () => {
    const { header, rows } = parseMarkdownTable(read(outdir, 'records', 'access-matrix.md'));
    expect(header).toEqual(['collaborator', 'kind', 'dev: Acme Development', 'prod: Acme Production', 'staging: Acme Staging']);
    const byWho = new Map(rows.map((r) => [r[0], r]));
    expect(rows).toHaveLength(4);
    expect(byWho.size).toBe(4);
    expect(byWho.get('jonas.weber@contractors.acme.example')).toEqual([
      'jonas.weber@contractors.acme.example',
      'CONTRACTOR',
      'MEMBER (until 2027-02-26)',
      '-',
      'MEMBER (until 2027-02-26)',
    ]);
    expect(byWho.get('priya.shah@northwind-analytics.example')).toEqual([
      'priya.shah@northwind-analytics.example',
      'PERSON',
      'ADMIN (until 2027-05-14, override)',
      'READ_ONLY (until 2027-05-14)',
      'READ_ONLY (until 2027-05-14)',
    ]);
    expect(byWho.get('bi-reporting@acme.example')!.slice(1)).toEqual(['SERVICE_ACCOUNT', 'READ_ONLY', 'READ_ONLY', 'READ_ONLY']);
    expect(byWho.get('segment@northwind-analytics.example')!.slice(2)).toEqual(['MEMBER', 'MEMBER', 'MEMBER']);
    const md = read(outdir, 'records', 'access-matrix.md');
    expect(md).toContain('- priya.shah@northwind-analytics.example in dev: Sets up new sources and destinations in dev before they are promoted.');
  });

  test('the access matrix CSV carries the same table', () => {
    const csv = parseCsv(read(outdir, 'records', 'access-matrix.csv'));
    const { header, rows } = parseMarkdownTable(read(outdir, 'records', 'access-matrix.md'));
    expect(csv).toEqual([header, ...rows]);
  });

  test('snapshot of the access matrix', () => {
    expect(read(outdir, 'records', 'access-matrix.md')).toMatchSnapshot();
  });

  test('hand-off note: workspace URL, role and its plain-words description, sources, destinations, SSO, contact', () => {
    const note = noteOf(outdir, 'segment@northwind-analytics.example');
    expect(note).toContain('# Your Segment access: Northwind Analytics implementation team');
    expect(note).toContain('Email: segment@northwind-analytics.example (Northwind Analytics)');
    const s = sections(note);
    expect([...s.keys()]).toEqual(['Acme Development (dev)', 'Acme Production (prod)', 'Acme Staging (staging)']);
    const prod = s.get('Acme Production (prod)')!;
    expect(prod).toContain('[Acme Production](https://app.segment.com/acme-prod)');
    expect(prod).toContain(`id ${WS.prod}, US region`);
    expect(prod).toContain(`- Role: **MEMBER**: ${DEFAULT_ROLE_PRESETS[WorkspaceRole.MEMBER].description}`);
    expect(prod).toContain('Source Admin on source ios (srcProdIos01), source web (srcProdWeb01)');
    expect(prod).toContain('- Sources: ios (ADMIN), web (ADMIN)');
    expect(prod).toContain('- Destinations you will configure: Amplitude (on source web)');
    expect(prod).toContain('SSO is enforced');
    expect(prod).toContain('acme.example / northwind-analytics.example / contractors.acme.example');
    expect(prod).toContain('- Access ends: no end date');
    expect(prod).toContain('it-access@acme.example (#segment-access on Slack), quoting ticket ACCESS-1042');
    // SSO is enforced in prod only.
    expect(s.get('Acme Staging (staging)')).not.toContain('SSO is enforced');
    expect(s.get('Acme Staging (staging)')).toContain('https://app.segment.com/acme-staging');
    expect(s.get('Acme Development (dev)')).toContain('https://app.segment.com/acme-dev');
  });

  test('hand-off note: expiry and per-environment role; no section where the collaborator has no access', () => {
    const lead = sections(noteOf(outdir, 'priya.shah@northwind-analytics.example'));
    expect(lead.get('Acme Development (dev)')).toContain(`- Role: **ADMIN**: ${DEFAULT_ROLE_PRESETS[WorkspaceRole.ADMIN].description}`);
    expect(lead.get('Acme Production (prod)')).toContain(`- Role: **READ_ONLY**: ${DEFAULT_ROLE_PRESETS[WorkspaceRole.READ_ONLY].description}`);
    for (const section of lead.values()) expect(section).toContain('- Access ends: 2027-05-14');
    const contractor = sections(noteOf(outdir, 'jonas.weber@contractors.acme.example'));
    expect([...contractor.keys()]).toEqual(['Acme Development (dev)', 'Acme Staging (staging)']);
    expect(contractor.get('Acme Staging (staging)')).toContain('- Access ends: 2027-02-26');
    expect(contractor.get('Acme Staging (staging)')).toContain('- Sources: ios (READ_ONLY)');
    expect(contractor.get('Acme Staging (staging)')).toContain('- Destinations you will configure: none');
  });

  test('records never contain a token value', () => {
    const token = 'fake.records.secret.9f8e7d6c5b4a';
    const saved = { ...process.env };
    Object.assign(process.env, { SEGMENT_PROD_TOKEN: token, SEGMENT_STAGING_TOKEN: token, SEGMENT_DEV_TOKEN: token, PUBLIC_API_TOKEN: token });
    try {
      const dir = synthApp(EXTENDED);
      const files = recordFiles(dir);
      expect(files).toEqual(APP_FILES.map((f) => join('records', f)));
      for (const f of files) expect(read(dir, f)).not.toContain(token);
      for (const f of files) expect(read(dir, f)).not.toContain('sgp_');
    } finally {
      process.env = saved;
    }
  });

  test('two synths give byte-identical records', () => {
    const again = synthApp(EXAMPLE_ACCESS);
    const files = recordFiles(outdir);
    expect(recordFiles(again)).toEqual(files);
    for (const f of files) expect(read(again, f)).toBe(read(outdir, f));
    const a = synthApp(EXTENDED);
    const b = synthApp(EXTENDED);
    expect(recordFiles(b)).toEqual(recordFiles(a));
    for (const f of recordFiles(a)) expect(read(b, f)).toBe(read(a, f));
  });
});

describe('records of an app with warnings, suppressions, an expired grant and awkward text', () => {
  const outdir = synthApp(EXTENDED);

  test('warehouses and their permissions are recorded', () => {
    const r = row(inventory(outdir), 'prod', 'dwh@northwind-analytics.example');
    expect(r.warehouses).toBe('snowflake (READ_ONLY)');
    expect(r.sources).toBe('server (READ_ONLY)');
    expect(r.segmentPermissions).toContain('Warehouse Destination Read-only on workspace');
    expect(r.segmentPermissions).toContain('Source Read-only on source server (srcProdSrv01)');
    const note = sections(noteOf(outdir, 'dwh@northwind-analytics.example')).get('Acme Production (prod)')!;
    expect(note).toContain('- Warehouses: snowflake (READ_ONLY)');
  });

  test('CSV quotes a value containing a comma, quotes and a line break, and parses back to the JSON value', () => {
    const csvText = read(outdir, 'records', 'inventory.csv');
    expect(csvText).toContain('"Models ""orders"", ""events"" and users,\nin Snowflake"');
    expect(csvText).toContain('"Northwind, ""DWH"" team"');
    const inv = inventory(outdir);
    const [header, ...rows] = parseCsv(csvText);
    expect(rows).toHaveLength(inv.grants.length);
    for (const r of rows) expect(r).toHaveLength(header.length);
    expect(rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])))).toEqual(inv.grants);
    const dwh = rows.find((r) => r[header.indexOf('subject')] === 'dwh@northwind-analytics.example')!;
    expect(dwh[header.indexOf('justification')]).toBe(AWKWARD_JUSTIFICATION);
    expect(dwh[header.indexOf('displayName')]).toBe('Northwind, "DWH" team');
  });

  test('a warning appears on its grant row and in the findings list', () => {
    const inv = inventory(outdir);
    const r = row(inv, 'staging', 'short.term@contractors.acme.example');
    expect(r.warnings).toMatch(/^SA-EXP-002: Access of short\.term@contractors\.acme\.example to Acme Staging \(AcmeStageWs4Lk9\) ends on 2026-12-04/);
    expect(r.suppressions).toBe('');
    expect(inv.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'SA-EXP-002', level: 'warning', path: 'staging/Workspace/ShortTerm', subject: 'short.term@contractors.acme.example', suppressed: null }),
    );
    const md = read(outdir, 'records', 'inventory.md');
    expect(md).toContain('**SA-EXP-002** (warning): Access of short.term@contractors.acme.example to Acme Staging');
  });

  test('a suppression appears with its reason and where it was made', () => {
    const inv = inventory(outdir);
    for (const env of ENVIRONMENTS) {
      const r = row(inv, env, 'ops@acme.example');
      expect(r.suppressions).toBe(`SA-EXP-003: ${SUPPRESSION_REASON}`);
      expect(r.warnings).toBe('');
    }
    expect(inv.findings).toContainEqual({
      ruleId: 'SA-EXP-003',
      level: 'warning',
      path: 'prod/Workspace/DataPlatform',
      subject: 'ops@acme.example',
      message: 'ops@acme.example (PERSON) has no expiry in Acme Production (AcmeProdWs7Qd2).',
      suppressed: { reason: SUPPRESSION_REASON, path: 'prod/Workspace/DataPlatform' },
    });
    const md = read(outdir, 'records', 'inventory.md');
    expect(md).toContain(`**SA-EXP-003** (suppressed at \`prod/Workspace/DataPlatform\`: ${SUPPRESSION_REASON})`);
    expect(read(outdir, 'records', 'inventory.csv')).toContain(`SA-EXP-003: ${SUPPRESSION_REASON}`);
  });

  test('an expired grant is in the inventory as expired, but not in the desired state', () => {
    const inv = inventory(outdir);
    for (const env of ENVIRONMENTS) {
      const r = row(inv, env, 'former.analyst@northwind-analytics.example');
      expect(r.status).toBe('expired (revoked on next deploy)');
      expect(r.expiresOn).toBe('2026-11-20');
      expect(r.warnings).toContain('SA-EXP-001: Access of former.analyst@northwind-analytics.example');
      const state = readDesiredState(outdir, env, WS[env]);
      expect(state.collaborators.map((c: { email: string }) => c.email)).not.toContain('former.analyst@northwind-analytics.example');
      expect(state.collaborators.map((c: { email: string }) => c.email)).toContain('dwh@northwind-analytics.example');
    }
    expect(inv.grants.filter((g) => g.status !== 'active').map((g) => g.subject)).toEqual([
      'former.analyst@northwind-analytics.example',
      'former.analyst@northwind-analytics.example',
      'former.analyst@northwind-analytics.example',
    ]);
    const { rows } = parseMarkdownTable(read(outdir, 'records', 'access-matrix.md'));
    expect(rows.find((r) => r[0] === 'former.analyst@northwind-analytics.example')!.slice(2)).toEqual([
      'READ_ONLY (expired 2026-11-20)',
      'READ_ONLY (expired 2026-11-20)',
      'READ_ONLY (expired 2026-11-20)',
    ]);
    expect(notes(outdir).has('former.analyst@northwind-analytics.example')).toBe(false);
  });

  test('the inventory lists the findings of every stack, by construct path', () => {
    const inv = inventory(outdir);
    for (const env of ENVIRONMENTS) expect(inv.findings.some((f) => f.path.startsWith(`${env}/`))).toBe(true);
    const md = read(outdir, 'records', 'inventory.md');
    for (const f of inv.findings) expect(md).toContain(`**${f.ruleId}**`);
    expect(inv.findings.map((f) => f.path)).toContain('prod/Workspace/FormerAnalyst');
  });
});

describe('records of group grants and EU workspaces', () => {
  test('a hand-off note for an EU workspace links the EU app', () => {
    const { app, outdir, stack } = bareApp();
    const ws = workspace(stack, { region: Region.EU, slug: 'acme-eu', displayName: 'Acme Europe', accessContact: 'eu-access@acme.example' });
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    app.synth();
    const note = noteOf(outdir, 'ana@agency.example');
    expect(note).toContain('[Acme Europe](https://app.eu1.segment.com/acme-eu)');
    expect(note).toContain('EU region');
    expect(note).not.toContain('https://app.segment.com');
    expect(note).toContain('- Access questions: eu-access@acme.example, quoting ticket ACCESS-1');
    // SSO not enforced: the note asks for MFA in Segment itself.
    expect(note).toContain('two-factor authentication (MFA)');
  });

  test('without an access contact, the note names the requester', () => {
    const { app, outdir, stack } = bareApp();
    workspace(stack).addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    app.synth();
    expect(noteOf(outdir, 'ana@agency.example')).toContain('- Access questions: your requester, lead@acme.example, quoting ticket ACCESS-1');
  });

  test('a group grant is an inventory row and a matrix row', () => {
    const { app, outdir, stack } = bareApp();
    const ws = workspace(stack, { environment: Environment.PROD, scim: { enabled: true } });
    ws.addGroupGrant('Analysts', {
      groupName: 'segment-analysts',
      role: WorkspaceRole.MEMBER,
      ticket: 'ACCESS-300',
      requestedBy: 'it@acme.example',
      approvedBy: 'cto@acme.example',
      justification: 'Analysts read web data.',
      sourceAccess: { Web: { level: AccessLevel.READ_ONLY, sources: ['web'] } },
    });
    app.synth();
    const inv = inventory(outdir);
    expect(inv.grants).toEqual([
      expect.objectContaining({
        subject: 'segment-analysts',
        subjectKind: 'USER_GROUP',
        status: 'active',
        role: 'MEMBER',
        sources: 'web (READ_ONLY)',
        ticket: 'ACCESS-300',
        requestedBy: 'it@acme.example',
        approvedBy: 'cto@acme.example',
        justification: 'Analysts read web data.',
      }),
    ]);
    const { rows } = parseMarkdownTable(read(outdir, 'records', 'access-matrix.md'));
    expect(rows).toEqual([['group:segment-analysts', 'USER_GROUP', 'MEMBER']]);
    expect(notes(outdir).size).toBe(0);
  });
});

// Written for the hand-written mutants records-markdown-unencoded, records-suppressed-errors-hidden and
// records-handoff-name-raw (scripts/hand-mutants.js): each passed every test of this folder before.
describe('records stay literal and complete where a plausible rewrite would not', () => {
  test('inventory.md rows escape Markdown in request text: a "|" in a ticket cannot forge a column, "*" or "[..](..)" cannot render', () => {
    const { app, outdir, stack } = bareApp();
    const ws = workspace(stack);
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana', { ticket: 'T-1 | *urgent* [site](https://evil.example)' }), role: WorkspaceRole.READ_ONLY });
    app.synth();
    const md = read(outdir, 'records', 'inventory.md');
    expect(md).toContain('T-1 \\| \\*urgent\\* \\[site\\](https://evil.example)');
    expect(md).not.toContain('T-1 | *urgent*');
    const table = parseMarkdownTable(md);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]).toHaveLength(table.header.length);
    expect(table.rows[0][table.header.indexOf('ticket')]).toBe('T-1 | *urgent* [site](https://evil.example)');
  });

  test('a suppressed ERROR is listed with its reason on its row, as a suppressed warning is', () => {
    const { app, outdir, stack } = bareApp();
    const ws = workspace(stack);
    const reason = 'Shared alerting mailbox, owned by the on-call rota (SEC-41).';
    const grant = ws.addGrant('Bot', { collaborator: collaborator(stack, 'Bot', { email: 'alerts.bot@gmail.com' }), role: WorkspaceRole.READ_ONLY });
    GuardrailSuppressions.add(grant, [{ ruleId: 'SA-EMAIL-001', reason }]);
    app.synth();
    const inv = inventory(outdir);
    expect(inv.findings).toContainEqual(expect.objectContaining({ ruleId: 'SA-EMAIL-001', level: 'error', suppressed: expect.objectContaining({ reason }) }));
    expect(row(inv, 'prod', 'alerts.bot@gmail.com').suppressions).toBe(`SA-EMAIL-001: ${reason}`);
    expect(read(outdir, 'records', 'inventory.csv')).toContain(`SA-EMAIL-001: ${reason}`);
  });

  test("a hand-off note's workspace heading is escaped like the rest of the note", () => {
    const { app, outdir, stack } = bareApp();
    workspace(stack, { displayName: 'Acme *Prod* [beta](https://evil.example)' }).addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    app.synth();
    const note = noteOf(outdir, 'ana@agency.example');
    expect([...sections(note).keys()]).toEqual(['Acme \\*Prod\\* \\[beta\\](https://evil.example) (prod)']);
    expect(note).not.toContain('*Prod*');
  });
});
