import { orderOperations, parseStackConfig, planStack, StateObject, TfPlanError, TfState } from '../../tf-runner';
import { nullStack } from './helpers';

const destroyLog = { provisioner: [{ 'local-exec': { command: 'true', when: 'destroy' } }] };

function state(...resources: Array<Partial<StateObject> & { address: string }>): TfState {
  return {
    version: 4,
    serial: 1,
    lineage: 'lineage',
    resources: resources.map((r, i) => ({ id: String(100 + i), triggers: null, tainted: false, dependencies: [], ...r })),
  };
}

describe('planStack', () => {
  it('plans create, no-op, replace (trigger change and taint), and delete of removed blocks and deposed objects', () => {
    const config = parseStackConfig(
      nullStack({
        fresh: { triggers: { role: 'A' } },
        same: { triggers: { role: 'A' } },
        changed: { triggers: { role: 'ADMIN', team: 'x' }, ...destroyLog },
        tainted: { triggers: { role: 'A' }, ...destroyLog },
      }),
    );
    const prior = state(
      { address: 'null_resource.same', triggers: { role: 'A' } },
      { address: 'null_resource.changed', triggers: { role: 'MEMBER', team: 'x', old: 'y' } },
      { address: 'null_resource.tainted', triggers: { role: 'A' }, tainted: true },
      { address: 'null_resource.removed', triggers: { role: 'A' } },
      { address: 'null_resource.same', triggers: { role: 'OLD' }, deposed: 'abcd1234' },
    );

    const plan = planStack(config, prior, 'apply');

    expect(plan.actions.map((a) => [a.address, a.action, a.reason, a.runsDestroyProvisioners])).toEqual([
      ['null_resource.changed', 'replace', 'replace_because_cannot_update', true],
      ['null_resource.fresh', 'create', 'new_resource', false],
      ['null_resource.removed', 'delete', 'delete_because_no_resource_config', false],
      ['null_resource.same', 'no-op', 'unchanged', false],
      ['null_resource.same', 'delete', 'delete_deposed_object', false],
      ['null_resource.tainted', 'replace', 'replace_because_tainted', false],
    ]);
    expect(plan.actions[0].triggerChanges).toEqual([
      { key: 'old', before: 'y', after: null },
      { key: 'role', before: 'MEMBER', after: 'ADMIN' },
    ]);
    expect(plan.summary).toEqual({ add: 3, change: 0, destroy: 4 });
  });

  it('treats absent triggers and an empty map as different values (null_resource replaces on any triggers change)', () => {
    const config = parseStackConfig(nullStack({ a: { triggers: {} } }));
    expect(planStack(config, state({ address: 'null_resource.a', triggers: null }), 'apply').actions[0].action).toBe('replace');
    expect(planStack(config, state({ address: 'null_resource.a', triggers: {} }), 'apply').actions[0].action).toBe('no-op');
  });

  it('destroy mode destroys configured objects (no destroy provisioners when tainted) and deletes the rest', () => {
    const config = parseStackConfig(nullStack({ a: destroyLog, b: destroyLog, never: {} }));
    const plan = planStack(
      config,
      state({ address: 'null_resource.a' }, { address: 'null_resource.b', tainted: true }, { address: 'null_resource.gone' }),
      'destroy',
    );
    expect(plan.actions.map((a) => [a.address, a.action, a.runsDestroyProvisioners])).toEqual([
      ['null_resource.a', 'destroy', true],
      ['null_resource.b', 'destroy', false],
      ['null_resource.gone', 'delete', false],
    ]);
    expect(plan.summary).toEqual({ add: 0, change: 0, destroy: 3 });
  });

  it('refuses to replace or destroy a prevent_destroy resource, but a removed block is just deleted', () => {
    const guarded = parseStackConfig(nullStack({ a: { triggers: { v: '2' }, lifecycle: { prevent_destroy: true } } }));
    const prior = state({ address: 'null_resource.a', triggers: { v: '1' } }, { address: 'null_resource.old' });
    expect(() => planStack(guarded, prior, 'apply')).toThrow(TfPlanError);
    expect(() => planStack(guarded, prior, 'destroy')).toThrow(/prevent_destroy/);
    const unchanged = state({ address: 'null_resource.a', triggers: { v: '2' } }, { address: 'null_resource.old' });
    expect(planStack(guarded, unchanged, 'apply').actions.map((a) => a.action)).toEqual(['no-op', 'delete']);
  });

  it('gives unchanged objects the dependencies the configuration now declares, and keeps stored ones otherwise', () => {
    const config = parseStackConfig(nullStack({ a: {}, b: { depends_on: ['null_resource.a'] }, c: { triggers: { v: '2' } } }));
    const prior = state({ address: 'null_resource.b' }, { address: 'null_resource.c', triggers: { v: '1' }, dependencies: ['null_resource.a'] });
    const plan = planStack(config, prior, 'apply');
    expect(plan.actions.filter((a) => a.prior).map((a) => [a.address, a.prior?.dependencies])).toEqual([
      ['null_resource.b', ['null_resource.a']],
      ['null_resource.c', ['null_resource.a']],
    ]);
    expect(prior.resources[0].dependencies).toEqual([]);
  });
});

describe('orderOperations', () => {
  const order = (config: ReturnType<typeof parseStackConfig>, prior: TfState) =>
    orderOperations(planStack(config, prior, 'apply'), config).map((op) => `${op.kind} ${op.address.slice('null_resource.'.length)}`);
  const replacedPair = () =>
    state(
      { address: 'null_resource.group', triggers: { v: '1' } },
      { address: 'null_resource.member', triggers: { v: '1' }, dependencies: ['null_resource.group'] },
    );

  it('without create_before_destroy, destroys dependents first, then recreates dependencies first', () => {
    const config = parseStackConfig(nullStack({ group: { triggers: { v: '2' } }, member: { triggers: { v: '2' }, depends_on: ['null_resource.group'] } }));
    expect(order(config, replacedPair())).toEqual(['destroy member', 'destroy group', 'create group', 'create member']);
  });

  it('forces create_before_destroy onto dependencies of a create_before_destroy resource (Terraform ForcedCBDTransformer)', () => {
    const config = parseStackConfig(
      nullStack({
        group: { triggers: { v: '2' } },
        member: { triggers: { v: '2' }, depends_on: ['null_resource.group'], lifecycle: { create_before_destroy: true } },
      }),
    );
    expect(planStack(config, replacedPair(), 'apply').actions.map((a) => a.createBeforeDestroy)).toEqual([true, true]);
    expect(order(config, replacedPair())).toEqual(['create group', 'create member', 'destroy member', 'destroy group']);
  });

  it('deletes a removed block only after the objects that recorded it as a dependency are destroyed', () => {
    const config = parseStackConfig(nullStack({ member: { triggers: { v: '2' } } }));
    // member's stored dependency on group still orders the destroys, although its new config has none.
    expect(order(config, replacedPair())).toEqual(['destroy member', 'destroy group', 'create member']);
  });
});
