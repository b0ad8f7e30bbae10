import * as fs from 'fs';
import { App, TerraformStack, Testing } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { parseStackConfig, TfConfigError } from '../../tf-runner';
import { loggedResource, makeStack, nullStack, removeStack, TestStack } from './helpers';

describe('reading cdk.tf.json', () => {
  let stack: TestStack | undefined;
  afterEach(() => stack && removeStack(stack));

  function synthesize(logFile: string): unknown {
    const app: App = Testing.app();
    const tfStack = new TerraformStack(app, 'demo');
    new NullProvider(tfStack, 'null');
    const group = new Resource(tfStack, 'group', {
      triggers: { role: 'GROUP' },
      provisioners: [
        { type: 'local-exec', command: 'printf "%s\\n" "$MSG" >> "$LOG"', environment: { LOG: logFile, MSG: 'create group ${self.triggers.role}' } },
        {
          type: 'local-exec',
          command: 'printf "%s\\n" "$MSG" >> "$LOG"',
          environment: { LOG: logFile, MSG: 'destroy group ${self.triggers["role"]}' },
          when: 'destroy',
          workingDir: '.',
        },
      ],
    });
    new Resource(tfStack, 'member', {
      dependsOn: [group],
      triggers: { role: 'MEMBER' },
      lifecycle: { createBeforeDestroy: true },
      provisioners: [{ type: 'local-exec', command: 'printf "%s\\n" "$MSG" >> "$LOG"', environment: { LOG: logFile, MSG: 'create member' } }],
    });
    return JSON.parse(Testing.synth(tfStack));
  }

  it('reads the shape cdktf 0.21 synthesizes with @cdktf/provider-null and applies it', async () => {
    stack = makeStack();
    const document = synthesize(stack.logFile) as { resource: { null_resource: { group: { provisioner: unknown[] } } } };
    // The real shape: provisioner is a list of { "local-exec": {...snake_case...} }.
    expect(document.resource.null_resource.group.provisioner[1]).toEqual({
      'local-exec': expect.objectContaining({ when: 'destroy', working_dir: '.' }),
    });
    const config = parseStackConfig(document);
    expect(config.resources.map((r) => [r.address, r.dependsOn, r.createBeforeDestroy])).toEqual([
      ['null_resource.group', [], false],
      ['null_resource.member', ['null_resource.group'], true],
    ]);
    expect(config.resources[0].provisioners.map((p) => [p.when, p.onFailure])).toEqual([
      ['create', 'fail'],
      ['destroy', 'fail'],
    ]);

    stack.write(document);
    await stack.apply();
    await stack.apply('destroy');
    expect(stack.logLines()).toEqual(['create group GROUP', 'create member', 'destroy group GROUP']);
  });

  it('accepts the { type: "local-exec", ... } provisioner form and both depends_on spellings', () => {
    const config = parseStackConfig(
      nullStack({
        a: { provisioner: [{ type: 'local-exec', command: 'true', when: 'destroy', on_failure: 'continue' }] },
        b: { depends_on: ['${null_resource.a}'] },
        c: { depends_on: ['null_resource.b'] },
      }),
    );
    expect(config.resources[0].provisioners[0]).toMatchObject({ when: 'destroy', onFailure: 'continue' });
    expect(config.resources.map((r) => r.dependsOn)).toEqual([[], ['null_resource.a'], ['null_resource.b']]);
  });

  it.each([
    ['another resource type', { resource: { aws_instance: { x: {} } } }, /unsupported resource type "aws_instance"/],
    ['another provider', { provider: { aws: [{}] } }, /unsupported provider "aws"/],
    ['data sources', { data: { null_data_source: {} } }, /unsupported top-level block "data"/],
    ['count', nullStack({ a: { count: 2 } }), /"count" is not supported/],
    ['remote-exec', nullStack({ a: { provisioner: [{ 'remote-exec': { inline: [] } }] } }), /Unsupported provisioner "remote-exec"/],
    ['an undeclared dependency', nullStack({ a: { depends_on: ['null_resource.missing'] } }), /undeclared resource null_resource.missing/],
    ['a dependency cycle', nullStack({ a: { depends_on: ['null_resource.b'] }, b: { depends_on: ['null_resource.a'] } }), /Cycle/],
    ['ignore_changes', nullStack({ a: { lifecycle: { ignore_changes: ['triggers'] } } }), /lifecycle.ignore_changes is not supported/],
    [
      'references in triggers',
      nullStack({ a: { triggers: { id: '${null_resource.b.id}' } }, b: {} }),
      /Unsupported interpolation "\$\{null_resource.b.id\}" in null_resource.a.triggers\["id"\]: only provisioners may reference self/,
    ],
    ['template directives', nullStack({ a: { provisioner: [{ 'local-exec': { command: '%{ if true }x%{ endif }' } }] } }), /Unsupported template directive "%\{ if true \}"/],
    ['an empty command', nullStack({ a: { provisioner: [{ 'local-exec': { command: '' } }] } }), /command must be a non-empty string/],
  ])('rejects %s', (_label, document, message) => {
    expect(() => parseStackConfig(document)).toThrow(TfConfigError);
    expect(() => parseStackConfig(document)).toThrow(message);
  });

  it('rejects an unknown interpolation before anything runs, naming it', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        ok: loggedResource(stack.logFile, 'ok', { role: 'R' }),
        bad: { provisioner: [{ 'local-exec': { command: 'echo ${var.password}' } }] },
      }),
    );

    await expect(stack.apply()).rejects.toThrow('Unsupported interpolation "${var.password}" in null_resource.bad provisioner[0].command');
    expect(stack.logLines()).toEqual([]);
    expect(fs.existsSync(stack.statePath)).toBe(false);
  });

  it('treats $${ as a literal ${ (and %%{ as %{) at run time', async () => {
    stack = makeStack();
    stack.write(
      nullStack({
        a: {
          triggers: { 'odd key': 'v$${x}' },
          provisioner: [
            {
              'local-exec': {
                command: 'printf "%s|%s\\n" "$${MSG}" "$RAW" >> "$LOG"',
                environment: { LOG: stack.logFile, MSG: 'id=${ self.id } key=${self.triggers["odd key"]}', RAW: '$${literal} %%{x}' },
              },
            },
          ],
        },
      }),
    );

    const result = await stack.apply();

    const id = stack.state().resources[0].id;
    expect(stack.logLines()).toEqual([`id=${id} key=v\${x}|\${literal} %{x}`]);
    expect(stack.state().resources[0].triggers).toEqual({ 'odd key': 'v${x}' });
    expect(result.provisionerRuns[0].command).toBe('printf "%s|%s\\n" "${MSG}" "$RAW" >> "$LOG"');
  });

  it('resolves working_dir against the stack directory and honours interpreter', async () => {
    stack = makeStack();
    fs.mkdirSync(`${stack.stackDir}/sub`);
    stack.write(
      nullStack({
        a: {
          provisioner: [
            { 'local-exec': { command: 'pwd >> "$LOG"', environment: { LOG: stack.logFile }, working_dir: 'sub' } },
            { 'local-exec': { command: 'require("fs").appendFileSync(process.env.LOG, "node " + process.argv.length + "\\n")', interpreter: [process.execPath, '-e'], environment: { LOG: stack.logFile } } },
            { 'local-exec': { command: 'pwd >> "$LOG"', environment: { LOG: stack.logFile } } },
          ],
        },
      }),
    );

    await stack.apply();

    const realStackDir = fs.realpathSync(stack.stackDir);
    expect(stack.logLines()).toEqual([`${realStackDir}/sub`, 'node 1', realStackDir]);
  });
});
