import { ApplyError } from '../../tf-runner';
import { loggedResource, makeStack, nullStack, removeStack, TestStack } from './helpers';

describe('applyStack lifecycle (null_resource + local-exec)', () => {
  let stack: TestStack;
  afterEach(() => removeStack(stack));

  const idOf = (address: string): string =>
    String(stack.state().resources.find((r) => r.address === address && r.deposed === undefined)?.id);

  it('creates in dependency order, running create provisioners with self bound to the new object', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        // Declared before its dependency on purpose: order must come from depends_on.
        member: loggedResource(stack.logFile, 'member', { role: 'MEMBER' }, { depends_on: ['null_resource.group'] }),
        group: loggedResource(stack.logFile, 'group', { role: 'GROUP' }),
        audit: loggedResource(stack.logFile, 'audit', { role: 'AUDIT' }, { depends_on: ['${null_resource.member}'] }),
      }),
    );
    const result = await stack.apply();

    expect(stack.logLines()).toEqual([
      `create group role=GROUP id=${idOf('null_resource.group')}`,
      `create member role=MEMBER id=${idOf('null_resource.member')}`,
      `create audit role=AUDIT id=${idOf('null_resource.audit')}`,
    ]);
    expect(idOf('null_resource.group')).toMatch(/^\d+$/);
    expect(result.summary).toEqual({ added: 3, changed: 0, destroyed: 0 });
    expect(result.provisionerRuns.map((run) => [run.address, run.when, run.exitCode])).toEqual([
      ['null_resource.group', 'create', 0],
      ['null_resource.member', 'create', 0],
      ['null_resource.audit', 'create', 0],
    ]);
    const state = stack.state();
    expect(state.resources.map((r) => [r.address, r.tainted, r.dependencies])).toEqual([
      ['null_resource.audit', false, ['null_resource.group', 'null_resource.member']],
      ['null_resource.group', false, []],
      ['null_resource.member', false, ['null_resource.group']],
    ]);
    expect(stack.output).toContain('null_resource.group: Creating...');
    expect(stack.output).toContain(`null_resource.group (local-exec): Executing: ["/bin/sh" "-c" "printf \\"%s\\\\n\\" \\"$MSG\\" >> \\"$LOG\\""]`);
    expect(stack.output[stack.output.length - 1]).toBe('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
  });

  it('second apply with the same configuration runs nothing and leaves the state untouched', async () => {
    stack = makeStack();
    stack.write(nullStack({ a: loggedResource(stack.logFile, 'a', { role: 'X' }) }));
    await stack.apply();
    const serial = stack.state().serial;

    const second = await stack.apply();

    expect(second.operations).toEqual([]);
    expect(second.provisionerRuns).toEqual([]);
    expect(second.plan.actions.map((a) => a.action)).toEqual(['no-op']);
    expect(stack.logLines()).toHaveLength(1);
    expect(stack.state().serial).toBe(serial);
    expect(stack.output).toContain('No changes. Your infrastructure matches the configuration.');
  });

  it('a changed trigger replaces: destroy provisioner sees the OLD triggers and id, create sees the NEW', async () => {
    stack = makeStack();
    stack.write(nullStack({ alice: loggedResource(stack.logFile, 'alice', { role: 'MEMBER' }) }));
    await stack.apply();
    const oldId = idOf('null_resource.alice');

    stack.write(nullStack({ alice: loggedResource(stack.logFile, 'alice', { role: 'ADMIN' }) }));
    const result = await stack.apply();
    const newId = idOf('null_resource.alice');

    expect(newId).not.toBe(oldId);
    expect(stack.logLines()).toEqual([
      `create alice role=MEMBER id=${oldId}`,
      `destroy alice role=MEMBER id=${oldId}`,
      `create alice role=ADMIN id=${newId}`,
    ]);
    expect(result.plan.actions[0]).toMatchObject({
      action: 'replace',
      reason: 'replace_because_cannot_update',
      triggerChanges: [{ key: 'role', before: 'MEMBER', after: 'ADMIN' }],
    });
    expect(result.operations.map((op) => [op.operation, op.id, op.status])).toEqual([
      ['destroy', oldId, 'succeeded'],
      ['create', newId, 'succeeded'],
    ]);
    expect(result.summary).toEqual({ added: 1, changed: 0, destroyed: 1 });
  });

  it('create_before_destroy creates the replacement first and destroys the deposed object without its destroy provisioners', async () => {
    stack = makeStack();
    const cbd = { lifecycle: { create_before_destroy: true } };
    stack.write(nullStack({ seat: loggedResource(stack.logFile, 'seat', { role: 'MEMBER' }, cbd) }));
    await stack.apply();
    const oldId = idOf('null_resource.seat');

    stack.write(nullStack({ seat: loggedResource(stack.logFile, 'seat', { role: 'ADMIN' }, cbd) }));
    const result = await stack.apply();
    const newId = idOf('null_resource.seat');

    // Terraform runs no destroy-time provisioners for deposed (create_before_destroy) objects.
    expect(stack.logLines()).toEqual([`create seat role=MEMBER id=${oldId}`, `create seat role=ADMIN id=${newId}`]);
    expect(result.operations.map((op) => [op.operation, op.id])).toEqual([
      ['create', newId],
      ['destroy', oldId],
    ]);
    expect(result.operations[1].deposedKey).toMatch(/^[0-9a-f]{8}$/);
    expect(stack.output.some((line) => /^null_resource\.seat \(deposed object [0-9a-f]{8}\): Destroying\.\.\. \[id=\d+\]$/.test(line))).toBe(true);
    expect(stack.state().resources.map((r) => r.id)).toEqual([newId]);
  });

  it('removing a resource block deletes it from state without running its destroy provisioner', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        keep: loggedResource(stack.logFile, 'keep', { role: 'K' }),
        gone: loggedResource(stack.logFile, 'gone', { role: 'G' }),
      }),
    );
    await stack.apply();
    stack.write(nullStack({ keep: loggedResource(stack.logFile, 'keep', { role: 'K' }) }));

    const result = await stack.apply();

    expect(stack.logLines().filter((line) => line.startsWith('destroy'))).toEqual([]);
    expect(result.plan.actions.find((a) => a.address === 'null_resource.gone')).toMatchObject({
      action: 'delete',
      reason: 'delete_because_no_resource_config',
      runsDestroyProvisioners: false,
    });
    expect(result.provisionerRuns).toEqual([]);
    expect(stack.state().resources.map((r) => r.address)).toEqual(['null_resource.keep']);
  });

  it('destroy mode runs destroy provisioners in reverse dependency order and empties the state', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        group: loggedResource(stack.logFile, 'group', { role: 'G' }),
        member: loggedResource(stack.logFile, 'member', { role: 'M' }, { depends_on: ['null_resource.group'] }),
        audit: loggedResource(stack.logFile, 'audit', { role: 'A' }, { depends_on: ['null_resource.member'] }),
      }),
    );
    await stack.apply();
    const ids = ['audit', 'member', 'group'].map((name) => idOf(`null_resource.${name}`));

    const result = await stack.apply('destroy');

    expect(stack.logLines().slice(3)).toEqual([`destroy audit role=A id=${ids[0]}`, `destroy member role=M id=${ids[1]}`, `destroy group role=G id=${ids[2]}`]);
    expect(result.plan.actions.every((a) => a.action === 'destroy')).toBe(true);
    expect(stack.state().resources).toEqual([]);
    expect(stack.output[stack.output.length - 1]).toBe('Destroy complete! Resources: 3 destroyed.');
  });

  it('destroy mode drops resources that are no longer in the configuration without running anything for them', async () => {
    stack = makeStack();
    stack.write(nullStack({ a: loggedResource(stack.logFile, 'a', { role: 'A' }), b: loggedResource(stack.logFile, 'b', { role: 'B' }) }));
    await stack.apply();
    stack.write(nullStack({ a: loggedResource(stack.logFile, 'a', { role: 'A' }) }));

    const result = await stack.apply('destroy');

    expect(stack.logLines().slice(2)).toEqual([`destroy a role=A id=${result.operations.find((o) => o.address === 'null_resource.a')?.id}`]);
    expect(result.plan.actions.map((a) => [a.address, a.action])).toEqual([
      ['null_resource.a', 'destroy'],
      ['null_resource.b', 'delete'],
    ]);
    expect(stack.state().resources).toEqual([]);
  });

  it('replacing a dependency and its dependent destroys dependents first and creates dependencies first', async () => {
    stack = makeStack();
    const config = (role: string) =>
      nullStack({
        child: loggedResource(stack.logFile, 'child', { role }, { depends_on: ['null_resource.parent'] }),
        parent: loggedResource(stack.logFile, 'parent', { role }),
      });
    stack.write(config('V1'));
    await stack.apply();
    stack.write(config('V2'));

    await stack.apply();

    expect(stack.logLines().slice(2).map((line) => line.split(' id=')[0])).toEqual([
      'destroy child role=V1',
      'destroy parent role=V1',
      'create parent role=V2',
      'create child role=V2',
    ]);
  });

  it('a failing apply rejects with ApplyError carrying the partial result', async () => {
    stack = makeStack();
    stack.write(nullStack({ bad: { triggers: { x: '1' }, provisioner: [{ 'local-exec': { command: 'exit 7' } }] } }));

    const error = (await stack.apply().catch((e: unknown) => e)) as ApplyError;

    expect(error).toBeInstanceOf(ApplyError);
    expect(error.message).toContain("Error running command 'exit 7': exit status 7");
    expect(error.result.provisionerRuns[0]).toMatchObject({ exitCode: 7, succeeded: false });
  });
});
