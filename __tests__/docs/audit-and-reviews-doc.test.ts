import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { load as parseYaml } from 'js-yaml';
import * as ts from 'typescript';
import { docExamples, docText } from '../support/doc-examples';
import { runCommand } from '../support/run-command';
import { loadReviewerList } from '../../reviews/reviewers';
import { loadApproverMapping } from '../../approvals/verify-approvals';
import { CampaignStatus, ReviewItemSchema, parseReviewFile, renderNewReviewFile, snapshotDigestOf } from '../../reviews/review-file';
import { campaignProgress, renderProgress } from '../../reviews/status';
import { WorkspacePropsSchema } from '../../constructs/segment-workspace-props';
import { WorkspaceRole } from '../../model/enums';
import { SodRuleId } from '../../model/separation-of-duties';
import { describeSeparationOfDuties } from '../../constructs/workspace-controls';

// Every example of docs/audit-and-reviews.md, checked against the code; and the README's checklist table.

const DOC = 'docs/audit-and-reviews.md';
const examples = docExamples(DOC);
const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'cli', 'main.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'sa-doc-'));

function example(name: string): string {
  const text = examples.get(name);
  if (text === undefined) throw new Error(`${DOC} has no example "${name}"`);
  return text;
}

describe(DOC, () => {
  test('every command line uses only options its command documents', async () => {
    const lines = [example('start'), example('status'), example('close'), example('verify'), example('approvals'), example('evidence')].flatMap((text) => text.split('\n')).filter((l) => l.startsWith('npx segment-access'));
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      const [, , command] = line.split(' ');
      const help = await runCommand('node', [CLI, command, '--help'], { PATH: process.env.PATH }, tmp());
      expect(help.code).toBe(0);
      for (const flag of line.match(/--[a-z-]+/g) ?? []) expect({ line, flag, documented: help.stdout.includes(flag) }).toEqual({ line, flag, documented: true });
    }
  });

  test('the reviewer list and the approver mapping read as the commands read them', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'reviewers.yaml'), example('reviewers.yaml'));
    expect(loadReviewerList(join(dir, 'reviewers.yaml'))).toMatchObject({ default: 'security@acme.example', rules: [{ reviewer: 'eu-lead@acme.example' }, { reviewer: 'cto@acme.example', unmanaged: false }] });
    writeFileSync(join(dir, 'approvers.yaml'), example('approvers.yaml'));
    expect(loadApproverMapping(join(dir, 'approvers.yaml'))).toEqual(new Map([['cto-gh', 'cto@acme.example'], ['data-governance-gh', 'data-governance@acme.example']]));
  });

  test('the item is a valid review item, in a file the loader accepts', () => {
    const item = ReviewItemSchema.parse(parseYaml(example('item')));
    expect(item).toMatchObject({ decision: 'change', change: { expiresOn: '2027-01-31' } });
    const text = renderNewReviewFile({ version: 1, campaign: { id: '2026-Q4', startedAt: '2026-12-01T09:00:00.000Z', due: null, status: CampaignStatus.OPEN, snapshotDigest: snapshotDigestOf([item]) }, items: [item], closing: null, verification: null });
    expect(parseReviewFile(text, 'reviews/2026-Q4.yaml').review.items[0]).toEqual(item);
  });

  test('the status output is what review status prints for such a campaign', () => {
    const base = ReviewItemSchema.parse(parseYaml(example('item')));
    const items = [
      { ...base, decision: null, change: null },
      { ...base, key: 'prod/ReportingService', snapshot: { ...base.snapshot, entry: 'ReportingService', email: 'bi-reporting@acme.example' }, decision: 'keep' as never, change: null },
      { ...base, key: 'prod/unmanaged:marketing@acme.example', snapshot: { ...base.snapshot, subject: 'unmanaged' as never, entry: null, email: 'marketing@acme.example' }, reviewer: null, decision: null, change: null },
    ];
    const review = { version: 1 as const, campaign: { id: '2026-Q4', startedAt: '2026-12-01T09:00:00.000Z', due: '2026-12-08', status: CampaignStatus.OPEN, snapshotDigest: snapshotDigestOf(items) }, items, closing: null, verification: null };
    expect(`${renderProgress(campaignProgress(review, new Date('2026-12-09T09:00:00Z'))).join('\n')}\n`).toBe(example('status output'));
  });

  test('the separation-of-duties setting is valid workspace configuration, shown in the plan as the doc says', () => {
    const source = `${example('separation of duties')}\nmodule.exports = sandbox;`;
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const sandbox = { exports: {} as Record<string, unknown> };
    new Function('module', 'WorkspaceRole', 'SodRuleId', js)(sandbox, WorkspaceRole, SodRuleId);
    const setting = WorkspacePropsSchema.shape.separationOfDuties.parse((sandbox as unknown as { exports: { separationOfDuties: unknown } }).exports.separationOfDuties);
    const shown = describeSeparationOfDuties(setting as never);
    expect(shown).toBe('SA-SOD-001 waived: Sandbox workspace: people request their own read access.; SA-SOD-002 enforced (privileged: OWNER, ADMIN, MEMBER); SA-SOD-003 enforced');
    expect(docText(DOC)).toContain('`SA-SOD-001 waived: Sandbox workspace: ...; SA-SOD-002 enforced (privileged: OWNER, ADMIN, MEMBER); SA-SOD-003 enforced`');
  });

  test('the screenshot it shows is committed (a PNG)', () => {
    expect(docText(DOC)).toContain('](images/evidence-report.png)');
    expect(readFileSync(join(REPO, 'docs', 'images', 'evidence-report.png')).subarray(1, 4).toString()).toBe('PNG');
  });
});

/** The "Compliance and Audit" lines of the checklist, and its quarterly review line, verbatim. */
const COMPLIANCE_LINES = [
  'Capture screenshots of the Team Members page showing the pending and accepted invitation.',
  'Log all invitations in your IAM tracker with requester, approver, and date.',
  'Retain invitation records for compliance audits (GDPR, SOC 2, etc.).',
  'Ensure workspace access aligns with data processing agreements and customer contracts.',
  'Document any data access or PII visibility implications of the invitation.',
  'Include Segment access in regular access certification and recertification processes.',
  'Review workspace membership quarterly and remove inactive or expired accounts.',
];

describe("the README's compliance checklist table", () => {
  const readme = docText('README.md');
  const section = readme.slice(readme.indexOf('## Compliance checklist'));
  const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| checklist') && !l.startsWith('| ---'));

  test('maps every compliance line of the checklist, verbatim, to a command', () => {
    expect(rows.map((r) => r.split(' | ')[0].replace(/^\| /, ''))).toEqual(COMPLIANCE_LINES);
    for (const row of rows) expect(row).toMatch(/`(segment-access [a-z]+|cdktf synth)[^`]*`/);
  });

  test('every command it names is one the CLI has', async () => {
    const help = await runCommand('node', [CLI, '--help'], { PATH: process.env.PATH }, tmp());
    const commands = [...section.matchAll(/`segment-access ([a-z]+)/g)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThan(5);
    for (const c of new Set(commands)) expect(help.stdout).toContain(`  ${c} `);
  });

  test('shows the evidence report screenshot and links the guide', () => {
    expect(section).toContain('](docs/images/evidence-report.png)');
    expect(section).toContain('(docs/audit-and-reviews.md)');
  });
});
