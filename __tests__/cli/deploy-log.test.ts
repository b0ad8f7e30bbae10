import { DeployLog, INIT_DONE, reindent } from '../../cli/deploy-log';
import { CdkFramework } from '../../framework/framework-choice';
import { accessSnapshot, renderDeploySummary, summarizeDeploy } from '../../cli/demo-summary';
import { findRoleByName } from '../../emulator/roles';

/** Lines as `cdktf deploy prod dev` prints them: chunks of two stacks interleaved, each chunk's first line prefixed. */
const INTERLEAVED = [
  'prod  Initializing the backend...',
  '      Successfully configured the backend "local"! Terraform will automatically',
  '      use this backend unless the backend configuration changes.',
  'dev  Initializing the backend...',
  'prod  Initializing provider plugins...',
  '      - terraform.io/builtin/terraform is built in to Terraform',
  '      Terraform has been successfully initialized!',
  'dev  Terraform has been successfully initialized!',
  'prod  Terraform will perform the following actions:',
  'dev  No changes. Your infrastructure matches the configuration.',
  'prod  # terraform_data.workspace_reconciler (Workspace/Reconciler) will be created',
  '        + resource "terraform_data" "workspace_reconciler" {',
  'prod  + id = (known after apply)',
  '          + input = {',
  'dev  Apply complete! Resources: 0 added, 0 changed, 0 destroyed.',
  'prod  + name = "x"',
  '            }',
  'prod  }',
  '      Plan: 2 to add, 0 to change, 0 to destroy.',
  'No outputs found.',
  'prod  Apply complete! Resources: 2 added, 0 changed, 0 destroyed.',
];

describe('the deploy log: one block per stack, printed whole when the stack is done', () => {
  test('interleaved chunks are reassembled per stack, in completion order; init boilerplate is one line; indentation is restored', () => {
    const printed: [string | undefined, readonly string[]][] = [];
    const log = new DeployLog(['prod', 'dev'], (stack, lines) => printed.push([stack, lines]));
    INTERLEAVED.forEach((l) => log.add(l));
    log.flush();
    expect(printed).toEqual([
      ['dev', [INIT_DONE, 'No changes. Your infrastructure matches the configuration.', 'Apply complete! Resources: 0 added, 0 changed, 0 destroyed.']],
      [
        'prod',
        [
          INIT_DONE,
          'Terraform will perform the following actions:',
          '  # terraform_data.workspace_reconciler (Workspace/Reconciler) will be created',
          '  + resource "terraform_data" "workspace_reconciler" {',
          '    + id = (known after apply)',
          '    + input = {',
          '      + name = "x"',
          '      }',
          '    }',
          'Plan: 2 to add, 0 to change, 0 to destroy.',
          'Apply complete! Resources: 2 added, 0 changed, 0 destroyed.',
        ],
      ],
    ]);
  });

  test('a stack that fails is printed at the end, everything it printed kept (errors are never collapsed)', () => {
    const printed: [string | undefined, readonly string[]][] = [];
    const log = new DeployLog(['prod'], (stack, lines) => printed.push([stack, lines]));
    ['prod  Initializing the backend...', 'prod  Error: local-exec provisioner error', '      exit status 1', 'Invoking Terraform CLI failed with exit code 1'].forEach((l) => log.add(l));
    expect(printed).toEqual([[undefined, ['Invoking Terraform CLI failed with exit code 1']]]);
    log.flush();
    expect(printed[1]).toEqual(['prod', [INIT_DONE, 'Error: local-exec provisioner error', 'exit status 1']]);
  });

  test('CDK Terrain prints a chunk\'s later lines unindented: they belong to the stack that started the chunk', () => {
    // As cdktn-cli 0.24 printed the example's deploy (lines cut short).
    const cdktn = [
      'WARN [dev/Workspace/NorthwindLead]: [SA-EXP-003] priya.shah@northwind-analytics.example ...',
      'prod  terraform_data.workspace_reconciler (Workspace/Reconciler) (local-exec): Segment access plan for Acme Production (AcmeProdWs7Qd2)',
      'terraform_data.workspace_reconciler (Workspace/Reconciler) (local-exec):   action    who    role    details',
      'dev  terraform_data.workspace_reconciler (Workspace/Reconciler) (local-exec): Segment access plan for Acme Development (AcmeDevWs1Xp3)',
      'terraform_data.workspace_reconciler (Workspace/Reconciler) (local-exec):   action    who    role    details',
      '  + resource "terraform_data" "workspace_reconciler" {',
      'dev  Apply complete! Resources: 2 added, 0 changed, 0 destroyed.',
      'prod  Apply complete! Resources: 2 added, 0 changed, 0 destroyed.',
      'No outputs found.',
    ];
    const byFramework = (framework: CdkFramework) => {
      const printed: [string | undefined, readonly string[]][] = [];
      const log = new DeployLog(['prod', 'dev'], (stack, lines) => printed.push([stack, lines]), framework);
      cdktn.forEach((l) => log.add(l));
      log.flush();
      return printed;
    };
    const local = 'terraform_data.workspace_reconciler (Workspace/Reconciler) (local-exec): ';
    expect(byFramework(CdkFramework.CDKTN)).toEqual([
      [undefined, [cdktn[0]]],
      ['dev', [`${local}Segment access plan for Acme Development (AcmeDevWs1Xp3)`, `${local}  action    who    role    details`, '  + resource "terraform_data" "workspace_reconciler" {', 'Apply complete! Resources: 2 added, 0 changed, 0 destroyed.']],
      ['prod', [`${local}Segment access plan for Acme Production (AcmeProdWs7Qd2)`, `${local}  action    who    role    details`, 'Apply complete! Resources: 2 added, 0 changed, 0 destroyed.']],
    ]);
    // Read as cdktf's layout, the same lines would leave the stacks (what the demo did on CDK Terrain before).
    expect(byFramework(CdkFramework.CDKTF).filter(([stack]) => stack === undefined).length).toBeGreaterThan(1);
  });

  test('reindent leaves lines that kept their indentation, and top-level lines, alone', () => {
    expect(reindent('    + a = 1', '  + b = {')).toBe('    + a = 1');
    expect(reindent('Plan: 1 to add', '  }')).toBe('Plan: 1 to add');
    expect(reindent('+ a = 1', undefined)).toBe('+ a = 1');
    expect(reindent('] ', '    ]')).toBe('  ] ');
  });
});

describe('what a deploy did to a workspace', () => {
  const role = (name: string) => findRoleByName(name)!.id;
  const ws = (id: string) => [{ type: 'WORKSPACE', id }];
  const member = (email: string, roleName: string) => ({ email, permissions: [{ roleId: role(roleName), resources: ws('ws1') }] });

  test('invited, re-permissioned, removed, unchanged and unmanaged people, each named, with the API calls', () => {
    const before = accessSnapshot(
      [member('owner@acme.example', 'Workspace Owner'), member('bo@agency.example', 'Source Admin'), member('cy@agency.example', 'Source Admin'), member('gone@agency.example', 'Source Admin')],
      [member('di@agency.example', 'Source Admin')],
    );
    const after = accessSnapshot(
      [member('owner@acme.example', 'Workspace Owner'), member('bo@agency.example', 'Source Read-only'), member('cy@agency.example', 'Source Admin')],
      [member('Ana@agency.example', 'Source Admin'), member('di@agency.example', 'Source Admin')],
    );
    const declared = new Set(['ana@agency.example', 'bo@agency.example', 'cy@agency.example', 'di@agency.example']);
    const summary = summarizeDeploy('Acme (ws1)', declared, before, after, { requests: 9, reads: 5, writes: 4, rateLimited: 0, serverErrors: 0 });
    expect(summary).toMatchObject({
      invited: ['ana@agency.example'],
      repermissioned: ['bo@agency.example'],
      removed: ['gone@agency.example'],
      unchanged: ['cy@agency.example', 'di@agency.example'],
      unmanaged: ['owner@acme.example'],
    });
    expect(renderDeploySummary(summary)).toEqual([
      'Acme (ws1)',
      '  invited                1  ana@agency.example',
      '  re-permissioned        1  bo@agency.example',
      '  removed                1  gone@agency.example',
      '  unchanged              2  cy@agency.example, di@agency.example',
      '  unmanaged, left alone  1  owner@acme.example (Workspace Owner)',
      '  API calls              9  5 reads, 4 writes',
    ]);
  });

  test('a long list names three and counts the rest; names are shown as literals', () => {
    const people = ['a', 'b', 'c', 'd', 'e'].map((n) => member(`${n}@x.example`, 'Source Admin'));
    const evil = member('\u001b[31mred@x.example', 'Source Admin');
    const summary = summarizeDeploy('W', new Set(people.map((p) => p.email)), accessSnapshot([evil], []), accessSnapshot([...people, evil], []), { requests: 0, reads: 0, writes: 0, rateLimited: 0, serverErrors: 0 });
    const lines = renderDeploySummary(summary);
    expect(lines[1]).toBe('  invited                5  a@x.example, b@x.example, c@x.example, and 2 more');
    expect(lines[5]).toBe('  unmanaged, left alone  1  \\x1b[31mred@x.example');
  });
});
