import * as fs from 'fs';
import { ApplyError, ApplyResult } from '../../tf-runner';
import { loggedResource, logStep, makeStack, nullStack, removeStack, TestStack } from './helpers';

describe('applyStack failure handling', () => {
  let stack: TestStack;
  afterEach(() => removeStack(stack));

  const failedApply = async (): Promise<ApplyResult> => {
    const error = await stack.apply().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplyError);
    return (error as ApplyError).result;
  };

  /** Fails its create provisioner while the file FAIL_FLAG exists. */
  const flaky = (flag: string) => ({
    triggers: { role: 'R' },
    provisioner: [
      logStep(stack.logFile, 'create flaky id=${self.id}'),
      { 'local-exec': { command: 'test ! -e "$FLAG"', environment: { FLAG: flag } } },
      logStep(stack.logFile, 'after check id=${self.id}'),
      logStep(stack.logFile, 'destroy flaky id=${self.id}', { when: 'destroy' }),
    ],
  });

  it('a failed create provisioner leaves the object tainted and the next apply replaces it (no destroy provisioner for a tainted object)', async () => {
    stack = makeStack();
    const flag = `${stack.root}/fail`;
    fs.writeFileSync(flag, '');
    stack.write(nullStack({ flaky: flaky(flag) }));

    const first = await failedApply();
    const tainted = stack.state().resources[0];

    expect(tainted).toMatchObject({ address: 'null_resource.flaky', tainted: true });
    expect(first.provisionerRuns.map((run) => [run.index, run.exitCode])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(stack.logLines()).toEqual([`create flaky id=${tainted.id}`]);

    fs.rmSync(flag);
    const second = await stack.apply();
    const replacement = stack.state().resources[0];

    expect(second.plan.actions[0]).toMatchObject({ action: 'replace', reason: 'replace_because_tainted', runsDestroyProvisioners: false });
    // Terraform: "A destroy-time provisioner within a resource that is tainted will not run."
    expect(stack.logLines()).toEqual([`create flaky id=${tainted.id}`, `create flaky id=${replacement.id}`, `after check id=${replacement.id}`]);
    expect(replacement).toMatchObject({ tainted: false });
    expect(replacement.id).not.toBe(tainted.id);
  });

  it('on_failure = continue ignores the failing provisioner and keeps the object untainted', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        lenient: {
          triggers: { role: 'R' },
          provisioner: [{ 'local-exec': { command: 'exit 3', on_failure: 'continue' } }, logStep(stack.logFile, 'still ran')],
        },
      }),
    );

    const result = await stack.apply();

    expect(result.provisionerRuns.map((run) => [run.exitCode, run.succeeded, run.onFailure])).toEqual([
      [3, false, 'continue'],
      [0, true, 'fail'],
    ]);
    expect(stack.logLines()).toEqual(['still ran']);
    expect(stack.state().resources[0]).toMatchObject({ tainted: false });
    expect(result.errors).toEqual([]);
  });

  it('a failed destroy provisioner keeps the object in state, untainted, skips its re-create, and is retried next apply', async () => {
    stack = makeStack();
    const flag = `${stack.root}/fail-destroy`;
    const resource = (role: string) => ({
      triggers: { role },
      provisioner: [
        logStep(stack.logFile, 'create ${self.triggers.role}'),
        { 'local-exec': { command: 'test ! -e "$FLAG"', environment: { FLAG: flag }, when: 'destroy' } },
        logStep(stack.logFile, 'destroy ${self.triggers.role}', { when: 'destroy' }),
      ],
    });
    stack.write(nullStack({ seat: resource('MEMBER') }));
    await stack.apply();
    const original = stack.state().resources[0];
    fs.writeFileSync(flag, '');
    stack.write(nullStack({ seat: resource('ADMIN') }));

    const failed = await failedApply();

    expect(failed.operations.map((op) => [op.operation, op.status])).toEqual([
      ['destroy', 'failed'],
      ['create', 'skipped'],
    ]);
    expect(stack.state().resources).toEqual([expect.objectContaining({ id: original.id, tainted: false, triggers: { role: 'MEMBER' } })]);
    expect(stack.logLines()).toEqual(['create MEMBER']);

    fs.rmSync(flag);
    await stack.apply();
    expect(stack.logLines()).toEqual(['create MEMBER', 'destroy MEMBER', 'create ADMIN']);
  });

  it('a failure skips what depends on it but independent resources still apply, as in Terraform’s graph walk', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        broken: { triggers: { role: 'B' }, provisioner: [{ 'local-exec': { command: 'exit 1' } }] },
        dependent: loggedResource(stack.logFile, 'dependent', { role: 'D' }, { depends_on: ['null_resource.broken'] }),
        independent: loggedResource(stack.logFile, 'independent', { role: 'I' }),
      }),
    );

    const result = await failedApply();

    expect(result.operations.map((op) => [op.address, op.status])).toEqual([
      ['null_resource.broken', 'failed'],
      ['null_resource.dependent', 'skipped'],
      ['null_resource.independent', 'succeeded'],
    ]);
    expect(stack.logLines().map((line) => line.split(' id=')[0])).toEqual(['create independent role=I']);
    expect(stack.state().resources.map((r) => [r.address, r.tainted])).toEqual([
      ['null_resource.broken', true],
      ['null_resource.independent', false],
    ]);
  });

  it('a missing trigger key in a provisioner fails that provisioner (Terraform: invalid index) and taints the object', async () => {
    stack = makeStack();
    stack.write(nullStack({ a: { triggers: { role: 'R' }, provisioner: [logStep(stack.logFile, '${self.triggers.nope}')] } }));

    const result = await failedApply();

    expect(result.errors[0]).toContain('self.triggers has no element "nope"');
    expect(result.provisionerRuns[0]).toMatchObject({ exitCode: null, succeeded: false });
    expect(stack.logLines()).toEqual([]);
    expect(stack.state().resources[0]).toMatchObject({ tainted: true });
  });
});
