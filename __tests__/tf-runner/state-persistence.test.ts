import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { applyStack, readState, TfStateError } from '../../tf-runner';
import { lockState } from '../../tf-runner/state-lock';
import { logStep, makeStack, nullStack, removeStack, TestStack } from './helpers';

describe('tf-runner state persistence', () => {
  let stack: TestStack;
  afterEach(() => removeStack(stack));

  /** A create provisioner that snapshots the state file as it is while the provisioner runs. */
  const snapshotStep = (name: string) => ({
    'local-exec': { command: 'cp "$STATE" "$SNAPSHOT"', environment: { STATE: stack.statePath, SNAPSHOT: path.join(stack.root, `${name}.snapshot.json`) } },
  });
  const snapshot = (name: string) => JSON.parse(fs.readFileSync(path.join(stack.root, `${name}.snapshot.json`), 'utf8'));

  it('is written after every operation: earlier resources are recorded, the running one is recorded tainted', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        first: { triggers: { n: '1' }, provisioner: [snapshotStep('first')] },
        second: { triggers: { n: '2' }, depends_on: ['null_resource.first'], provisioner: [snapshotStep('second')] },
      }),
    );

    await stack.apply();

    const duringFirst = snapshot('first');
    const duringSecond = snapshot('second');
    expect(duringFirst.resources.map((r: { address: string; tainted: boolean }) => [r.address, r.tainted])).toEqual([['null_resource.first', true]]);
    expect(duringSecond.resources.map((r: { address: string; tainted: boolean }) => [r.address, r.tainted])).toEqual([
      ['null_resource.first', false],
      ['null_resource.second', true],
    ]);
    expect(duringSecond.serial).toBeGreaterThan(duringFirst.serial);
    expect(stack.state().resources.every((r) => r.tainted === false)).toBe(true);
    expect(stack.state().lineage).toBe(duringFirst.lineage);
  });

  it('records triggers and ids only: no provisioner environment values or command output', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        a: {
          triggers: { role: 'ADMIN' },
          provisioner: [{ 'local-exec': { command: 'echo "output-$TOKEN"', environment: { TOKEN: 'secret-env-value' } } }],
        },
      }),
    );

    await stack.apply();

    const text = fs.readFileSync(stack.statePath, 'utf8');
    expect(stack.output).toContain('null_resource.a (local-exec): output-secret-env-value');
    expect(text).not.toContain('secret-env-value');
    expect(text).not.toContain('output-');
    expect(Object.keys(stack.state().resources[0]).sort()).toEqual(['address', 'dependencies', 'id', 'tainted', 'triggers']);
    expect(stack.state()).toMatchObject({ version: 4, serial: 2, resources: [{ triggers: { role: 'ADMIN' } }] });
  });

  it('a run killed during a create provisioner leaves finished resources recorded and the interrupted one tainted', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        done: { triggers: { n: '1' }, provisioner: [logStep(stack.logFile, 'done created')] },
        // Kills the runner process itself (the shell's parent) mid-provisioner.
        killer: {
          triggers: { n: '2' },
          depends_on: ['null_resource.done'],
          provisioner: [{ 'local-exec': { command: 'test -e "$ARMED" && kill -9 $PPID; sleep 2', environment: { ARMED: path.join(stack.root, 'armed') } } }],
        },
      }),
    );
    fs.writeFileSync(path.join(stack.root, 'armed'), '');
    const script = path.join(stack.root, 'run-apply.ts');
    fs.writeFileSync(
      script,
      `import { applyStack } from ${JSON.stringify(path.resolve(__dirname, '../../tf-runner'))};\n` +
        `applyStack({ stackDir: ${JSON.stringify(stack.stackDir)}, statePath: ${JSON.stringify(stack.statePath)} });\n`,
    );

    const signal = await new Promise<string | null>((resolve) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register', script], {
        cwd: path.resolve(__dirname, '../..'),
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: 'ignore',
      });
      child.on('close', (_code, sig) => resolve(sig));
    });

    expect(signal).toBe('SIGKILL');
    const state = readState(stack.statePath);
    expect(state.resources.map((r) => [r.address, r.tainted])).toEqual([
      ['null_resource.done', false],
      ['null_resource.killer', true],
    ]);

    // The dead run's lock does not block the next one, which replaces the tainted object.
    fs.rmSync(path.join(stack.root, 'armed'));
    const next = await stack.apply();
    expect(next.plan.actions.map((a) => [a.address, a.action, a.reason])).toEqual([
      ['null_resource.done', 'no-op', 'unchanged'],
      ['null_resource.killer', 'replace', 'replace_because_tainted'],
    ]);
    expect(stack.state().resources.map((r) => r.tainted)).toEqual([false, false]);
    expect(stack.logLines()).toEqual(['done created']);
  }, 30000);

  it('refuses to run while another live process holds the state lock', async () => {
    stack = makeStack(nullStack({ a: { triggers: { n: '1' } } }));
    const lock = lockState(stack.statePath, 'apply');
    try {
      await expect(applyStack({ stackDir: stack.stackDir, statePath: stack.statePath })).rejects.toThrow(TfStateError);
      expect(fs.existsSync(stack.statePath)).toBe(false);
    } finally {
      lock.release();
    }
    await applyStack({ stackDir: stack.stackDir, statePath: stack.statePath });
    expect(readState(stack.statePath).resources).toHaveLength(1);
  });

  it('rejects a state holding resource types it does not manage', () => {
    stack = makeStack();
    fs.mkdirSync(path.dirname(stack.statePath), { recursive: true });
    fs.writeFileSync(
      stack.statePath,
      JSON.stringify({ version: 4, serial: 1, lineage: 'x', resources: [{ address: 'aws_instance.a', id: '1', triggers: null, tainted: false, dependencies: [] }] }),
    );
    expect(() => readState(stack.statePath)).toThrow(/unsupported address "aws_instance.a"/);
  });
});
