import { execFileSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { load as parse } from 'js-yaml';
import { terraformEnvironment } from '../../cli/terraform-runtime';
import { runCommand } from '../support/run-command';
import { CampaignStatus, renderNewReviewFile, snapshotDigestOf } from '../../reviews/review-file';
import { REPO_ROOT } from '../support/example';

// The CI setup shipped for `segment-access init` to copy: pull requests are validated and planned with
// no secrets and the base branch's code only; deploys run from main, after review, with the tokens.

const WORKFLOW_FILE = join(REPO_ROOT, 'templates', 'github', 'workflows', 'segment-access.yml');
const workflow = parse(readFileSync(WORKFLOW_FILE, 'utf8')) as any;
type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
const plan = workflow.jobs.plan as { if: string; steps: Step[]; environment?: string };
const deploy = workflow.jobs.deploy as { if: string; steps: Step[]; environment?: string };
const approvalsJob = workflow.jobs.approvals as { if: string; steps: Step[]; environment?: string; permissions: Record<string, string> };

describe('the GitHub Actions workflow template', () => {
  test('runs on pull requests, their reviews and pushes to main only, with read-only repository access', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'pull_request_review', 'push', 'schedule']);
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.on.pull_request_review.types).toEqual(['submitted', 'dismissed']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(Object.keys(workflow.jobs).sort()).toEqual(['approvals', 'deploy', 'plan', 'review-reminders']);
  });

  test('the scheduled reminders job holds no secret and fails while a campaign is undecided after its due date', async () => {
    const reminders = workflow.jobs['review-reminders'] as { if: string; steps: Step[] };
    expect(reminders.if).toBe("github.event_name == 'schedule'");
    expect(JSON.stringify(reminders)).not.toMatch(/secrets\.|github\.token/);
    const work = mkdtempSync(join(tmpdir(), 'sa-ci-reminders-'));
    mkdirSync(join(work, 'reviews'));
    const item = (key: string, decision: string | null) => ({ key, snapshot: { subject: 'collaborator', entry: key.split('/')[1], environment: 'prod', workspace: 'Acme (ws1)', workspaceId: 'ws1', email: 'a@agency.example', groupName: null, who: 'A', role: 'MEMBER', access: 'x', expiresOn: null, since: 'x', requestedBy: null, approvedBy: null, ticket: null, lastChange: null, status: 'managed', live: 'member', liveFingerprint: 'a'.repeat(64) }, reviewer: 'cto@acme.example', decision, change: null, note: null, selfReviewReason: null });
    const write = (id: string, due: string, decision: string | null) => {
      const items = [item('prod/Ana', decision)];
      writeFileSync(join(work, 'reviews', `${id}.yaml`), renderNewReviewFile({ version: 1, campaign: { id, startedAt: '2026-12-01T09:00:00.000Z', due, status: CampaignStatus.OPEN, snapshotDigest: snapshotDigestOf(items as never) }, items: items as never, closing: null, verification: null }));
    };
    const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
    const step = reminders.steps.find((s) => s.run?.includes('review status'))!;
    const run = () => runCommand('bash', ['-e', '-c', step.run!.replace(/npx segment-access/g, `node ${cli}`)], { PATH: process.env.PATH, SEGMENT_ACCESS_NOW: '2026-12-20T08:00:00Z' }, work);
    write('2026-Q4', '2026-12-31', null);
    expect((await run()).code).toBe(0);
    write('2026-Q3', '2026-12-15', null);
    const late = await run();
    expect(late.code).toBe(1);
    expect(late.stdout).toContain('Access review 2026-Q3: open; 0 of 1 item(s) decided; due 2026-12-15 (PAST DUE).');
  });

  test('the approvals job holds no Segment secret: only its own GitHub token, read-only, for the reviews', () => {
    expect(approvalsJob.if).toBe("github.event_name == 'pull_request' || github.event_name == 'pull_request_review'");
    expect(approvalsJob.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
    expect(approvalsJob.environment).toBeUndefined();
    expect(JSON.stringify(approvalsJob)).not.toContain('secrets.');
    const withToken = approvalsJob.steps.filter((s) => JSON.stringify(s).includes('github.token'));
    expect(withToken.map((s) => s.name)).toEqual(["Read the pull request's reviews"]);
    // The same base-branch-only checkout as the plan job: the pull request contributes access.yaml alone.
    const checkouts = (job: { steps: Step[] }) => job.steps.filter((s) => s.uses?.startsWith('actions/checkout@')).map((s) => s.with);
    expect(checkouts(approvalsJob)).toEqual(checkouts(plan));
    expect(approvalsJob.steps.find((s) => s.run?.startsWith('cp pull-request/'))?.run).toBe('cp pull-request/access.yaml access.yaml && rm -rf pull-request');
  });

  test.each([
    ['passes when the approver the new grant names approved the head commit', 'cto-gh', 'head', 0, 'ok      NewAnalyst in prod'],
    ['fails when someone else approved', 'lead-gh', 'head', 2, 'FAILED  NewAnalyst in prod (analyst@acme.example, READ_ONLY, added): approvedBy cto@acme.example did not approve'],
    ['fails when the approval was of an earlier commit', 'cto-gh', 'earlier', 2, 'FAILED  NewAnalyst in prod'],
  ])("the approvals job's commands, with recorded reviews: %s", async (_name, login, commit, code, says) => {
    const work = mkdtempSync(join(tmpdir(), 'sa-ci-approvals-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: work, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e.x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e.x' } });
    git('init', '-q');
    copyFileSync(join(REPO_ROOT, 'access.yaml'), join(work, 'access.yaml'));
    writeFileSync(join(work, 'approvers.yaml'), 'version: 1\napprovers: { cto-gh: cto@acme.example, lead-gh: dana.lee@acme.example }\n');
    git('add', '.');
    git('commit', '-qm', 'base');
    mkdirSync(join(work, 'pull-request'));
    writeFileSync(join(work, 'pull-request', 'access.yaml'), `${readFileSync(join(REPO_ROOT, 'access.yaml'), 'utf8')}
  - id: NewAnalyst
    email: analyst@acme.example
    displayName: New analyst
    requestedBy: dana.lee@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-1300
    grant: { role: READ_ONLY, justification: Reads dashboards. }
`);
    const temp = join(work, 'runner-temp');
    mkdirSync(temp);
    // What `gh pr view --json reviews` printed for this pull request (recorded: no network).
    writeFileSync(join(temp, 'reviews.json'), JSON.stringify({ reviews: [{ author: { login }, state: 'APPROVED', submittedAt: '2026-12-01T10:00:00Z', commit: { oid: commit === 'head' ? 'f00d' : 'beef' } }] }));
    const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: temp, HEAD_SHA: 'f00d' };
    let last = { code: 0 as number | null, stdout: '' };
    for (const step of approvalsJob.steps.filter((s) => s.run && !s.run.startsWith('npm ci') && !s.run.startsWith('gh '))) {
      const result = await runCommand('bash', ['-e', '-c', step.run!.replace(/npx segment-access/g, `node ${cli}`)], { ...env, ...step.env, HEAD_SHA: 'f00d' }, work);
      last = result;
    }
    expect(last.code).toBe(code);
    expect(last.stdout).toContain(says);
    const record = JSON.parse(readFileSync(join(temp, 'approvals.json'), 'utf8'));
    expect(record.grants.map((g: { entry: string; environment: string; ok: boolean }) => [g.entry, g.environment, g.ok])).toEqual(
      ['prod', 'staging', 'dev'].map((env) => ['NewAnalyst', env, code === 0]),
    );
  });

  test('the pull-request job holds no secret and no deployment environment', () => {
    expect(plan.if).toBe("github.event_name == 'pull_request'");
    expect(JSON.stringify(plan)).not.toMatch(/secrets\.|GITHUB_TOKEN|github\.token/);
    expect(plan.environment).toBeUndefined();
    expect(JSON.stringify(workflow.env)).not.toMatch(/secrets\./);
  });

  test("the pull-request job runs the base branch's code and takes nothing from the pull request but access.yaml", () => {
    const checkouts = plan.steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts.map((s) => s.with)).toEqual([
      { ref: '${{ github.event.pull_request.base.sha }}', 'persist-credentials': false },
      { ref: '${{ github.event.pull_request.head.sha }}', path: 'pull-request', 'sparse-checkout': 'access.yaml', 'sparse-checkout-cone-mode': false, 'persist-credentials': false },
    ]);
    // The only step that touches the pull request's files copies the data file and deletes the rest.
    const touching = plan.steps.filter((s) => JSON.stringify(s).includes('pull-request') && !s.uses);
    expect(touching.map((s) => s.run)).toEqual(['cp pull-request/access.yaml access.yaml && rm -rf pull-request']);
    const copied = plan.steps.indexOf(touching[0]);
    expect(plan.steps.slice(0, copied).every((s) => s.uses?.startsWith('actions/checkout@'))).toBe(true);
  });

  test('the deploy job runs only on main, in a protected environment, with the tokens, approving the reviewed plan', () => {
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(deploy.environment).toBe('segment-access');
    expect(JSON.stringify(deploy)).not.toContain('pull_request');
    const withSecrets = deploy.steps.filter((s) => JSON.stringify(s).includes('secrets.'));
    expect(withSecrets).toEqual([
      {
        name: 'Deploy',
        run: 'npx cdktf deploy $STACKS --auto-approve',
        env: {
          SEGMENT_PROD_TOKEN: '${{ secrets.SEGMENT_PROD_TOKEN }}',
          SEGMENT_STAGING_TOKEN: '${{ secrets.SEGMENT_STAGING_TOKEN }}',
          SEGMENT_DEV_TOKEN: '${{ secrets.SEGMENT_DEV_TOKEN }}',
          SEGMENT_ACCESS_RECORD_KEY: '${{ secrets.SEGMENT_ACCESS_RECORD_KEY }}',
        },
      },
    ]);
  });

  test('the workflow and CODEOWNERS are shipped in the package for `segment-access init` to copy', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('templates/**');
  });

  test("the pull-request job's commands run here without any token: the requested collaborator reads in the plan", async () => {
    // A copy of this repo as the base branch; the pull request adds one collaborator to access.yaml.
    const work = mkdtempSync(join(tmpdir(), 'sa-ci-'));
    for (const file of execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean)) {
      mkdirSync(dirname(join(work, file)), { recursive: true });
      copyFileSync(join(REPO_ROOT, file), join(work, file));
    }
    // Installed and built, as `npm ci` leaves it (the bundled executor is part of the package).
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(work, 'node_modules'));
    symlinkSync(join(REPO_ROOT, 'dist'), join(work, 'dist'));
    const requested = `${readFileSync(join(REPO_ROOT, 'access.yaml'), 'utf8')}
  - id: NewAnalyst
    email: analyst@acme.example
    displayName: New analyst
    requestedBy: dana.lee@acme.example
    ticket: ACCESS-1300
    grant: { role: READ_ONLY, justification: Reads dashboards. }
`;
    mkdirSync(join(work, 'pull-request'));
    writeFileSync(join(work, 'pull-request', 'access.yaml'), requested);
    // As installed in a user's repo: `npx segment-access` is this package's CLI.
    const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
    const env = terraformEnvironment({ PATH: process.env.PATH, HOME: process.env.HOME, CI: '1', NO_COLOR: '1', ...workflow.env, STACKS: 'prod' });
    for (const key of Object.keys(env)) expect(key).not.toMatch(/^(SEGMENT_(?!ACCESS_)|PUBLIC_API_)/);
    const outputs: string[] = [];
    for (const step of plan.steps.filter((s) => s.run && !s.run.startsWith('npm ci'))) {
      const script = step.run!.replace(/npx segment-access/g, `node ${cli}`);
      const result = await runCommand('bash', ['-e', '-c', script], env, work);
      expect({ step: step.name ?? step.run, code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ step: step.name ?? step.run, code: 0, stderr: '' });
      // cdktf colours terraform's output whatever NO_COLOR says.
      // eslint-disable-next-line no-control-regex
      outputs.push(result.stdout.replace(/\u001b\[[0-9;]*m/g, ''));
    }
    expect(outputs.join('\n')).toContain('access.yaml: valid (5 collaborator(s), 0 group grant(s))');
    expect(outputs.join('\n')).toMatch(/\+ "analyst@acme\.example"\s+= \{/);
    expect(outputs.join('\n')).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
  }, 120_000);
});

describe('the CODEOWNERS template', () => {
  const rules = readFileSync(join(REPO_ROOT, 'templates', 'CODEOWNERS'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/));

  /** GitHub's rule: the last matching pattern decides. */
  function ownersOf(path: string): string[] {
    const matches = rules.filter(([pattern]) => pattern === '*' || (pattern.endsWith('/') ? `/${path}`.startsWith(pattern) : `/${path}` === pattern));
    return matches[matches.length - 1].slice(1);
  }

  test.each(['main.ts', 'stacks/example-workspaces.ts', '.github/workflows/segment-access.yml', '.github/CODEOWNERS', 'package.json', 'package-lock.json'])('%s (code) needs the platform team', (path) => {
    expect(ownersOf(path)).toEqual(['@your-org/platform-team']);
  });

  test('access.yaml (data) is reviewed by the access approvers', () => {
    expect(ownersOf('access.yaml')).toEqual(['@your-org/access-approvers']);
  });

  test('approvers.yaml (which login is which approver) is a control of the platform team; review campaigns go to the access approvers', () => {
    expect(ownersOf('approvers.yaml')).toEqual(['@your-org/platform-team']);
    expect(ownersOf('reviews/2026-Q4.yaml')).toEqual(['@your-org/access-approvers']);
  });
});
