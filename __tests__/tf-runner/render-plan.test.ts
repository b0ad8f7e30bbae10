import { parseStackConfig, planStack, planStackDir, renderPlan, TfState } from '../../tf-runner';
import { makeStack, nullStack, removeStack } from './helpers';

const prior: TfState = {
  version: 4,
  serial: 3,
  lineage: 'l',
  resources: [
    { address: 'null_resource.alice', id: '111', triggers: { email: 'a@x.io', role: 'MEMBER' }, tainted: false, dependencies: [] },
    { address: 'null_resource.bob', id: '222', triggers: { role: 'ADMIN' }, tainted: true, dependencies: [] },
    { address: 'null_resource.carol', id: '333', triggers: { role: 'VIEWER' }, tainted: false, dependencies: [] },
    { address: 'null_resource.dave', id: '444', triggers: { role: 'X' }, tainted: false, dependencies: [], deposed: '0a1b2c3d' },
  ],
};

describe('renderPlan', () => {
  it('prints a Terraform-style plan: replacement with the trigger that forces it, creation, taint, removal and deposed objects', () => {
    const config = parseStackConfig(
      nullStack({
        alice: { triggers: { email: 'a@x.io', role: 'ADMIN' } },
        bob: { triggers: { role: 'ADMIN' } },
        erin: { triggers: { role: 'MEMBER', team: 'data' }, lifecycle: { create_before_destroy: true } },
      }),
    );

    expect(renderPlan(planStack(config, prior, 'apply'))).toBe(
      [
        'Terraform used the selected providers to generate the following execution',
        'plan. Resource actions are indicated with the following symbols:',
        '  + create',
        '  - destroy',
        '-/+ destroy and then create replacement',
        '',
        'Terraform will perform the following actions:',
        '',
        '  # null_resource.alice must be replaced',
        '-/+ resource "null_resource" "alice" {',
        '      ~ id       = "111" -> (known after apply)',
        '      ~ triggers = { # forces replacement',
        '          ~ "role" = "MEMBER" -> "ADMIN"',
        '            # (1 unchanged element hidden)',
        '        }',
        '    }',
        '',
        '  # null_resource.bob is tainted, so must be replaced',
        '-/+ resource "null_resource" "bob" {',
        '      ~ id       = "222" -> (known after apply)',
        '        # (1 unchanged attribute hidden)',
        '    }',
        '',
        '  # null_resource.carol will be destroyed',
        '  # (because null_resource.carol is not in configuration)',
        '  - resource "null_resource" "carol" {',
        '      - id       = "333" -> null',
        '      - triggers = {',
        '          - "role" = "VIEWER"',
        '        } -> null',
        '    }',
        '',
        '  # null_resource.dave (deposed object 0a1b2c3d) will be destroyed',
        '  # (left over from a partially-failed replacement of this instance)',
        '  - resource "null_resource" "dave" {',
        '      - id       = "444" -> null',
        '      - triggers = {',
        '          - "role" = "X"',
        '        } -> null',
        '    }',
        '',
        '  # null_resource.erin will be created',
        '  + resource "null_resource" "erin" {',
        '      + id       = (known after apply)',
        '      + triggers = {',
        '          + "role" = "MEMBER"',
        '          + "team" = "data"',
        '        }',
        '    }',
        '',
        'Plan: 3 to add, 0 to change, 4 to destroy.',
        '',
      ].join('\n'),
    );
  });

  it('marks create_before_destroy replacements +/- and aligns added and removed trigger keys', () => {
    const config = parseStackConfig(nullStack({ alice: { triggers: { role: 'MEMBER', workspace: 'w1' }, lifecycle: { create_before_destroy: true } } }));
    const state: TfState = { ...prior, resources: [{ ...prior.resources[0], triggers: { email: 'a@x.io', role: 'MEMBER' } }] };

    const text = renderPlan(planStack(config, state, 'apply'));

    expect(text).toContain('+/- create replacement and then destroy');
    expect(text).toContain(
      [
        '+/- resource "null_resource" "alice" {',
        '      ~ id       = "111" -> (known after apply)',
        '      ~ triggers = { # forces replacement',
        '          - "email"     = "a@x.io" -> null',
        '          + "workspace" = "w1"',
        '            # (1 unchanged element hidden)',
        '        }',
      ].join('\n'),
    );
    expect(text).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
  });

  it('says so when there is nothing to do, in both modes', () => {
    const stack = makeStack(nullStack({}));
    try {
      expect(renderPlan(planStackDir({ stackDir: stack.stackDir, statePath: stack.statePath }))).toMatch(/^No changes\. Your infrastructure matches the configuration\./);
      expect(renderPlan(planStackDir({ stackDir: stack.stackDir, statePath: stack.statePath, mode: 'destroy' }))).toMatch(/^No changes\. No objects need to be destroyed\./);
    } finally {
      removeStack(stack);
    }
  });

  it('renders destroy mode with every configured object destroyed', () => {
    const config = parseStackConfig(nullStack({ alice: { triggers: { email: 'a@x.io', role: 'MEMBER' } } }));
    const text = renderPlan(planStack(config, { ...prior, resources: [prior.resources[0]] }, 'destroy'));
    expect(text).toContain('  # null_resource.alice will be destroyed\n  - resource "null_resource" "alice" {');
    expect(text).toContain('          - "email" = "a@x.io"\n          - "role"  = "MEMBER"\n        } -> null');
    expect(text).toContain('Plan: 0 to add, 0 to change, 1 to destroy.');
  });
});
