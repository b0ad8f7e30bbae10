import { Testing } from '../../framework';
import { AccessLevel, ResourceFlavor, WorkspaceRole } from '../../model/enums';
import { Executor } from '../../constructs/executor';
import { terraformLiteral, terraformLiteralString } from '../../constructs/terraform-literal';
import { collaborator, workspace } from '../support/fixtures';
import { testStack } from '../support/synth';

function synthWith(flavor: ResourceFlavor, executor?: Executor) {
  const stack = testStack();
  const w = workspace(stack, { resourceFlavor: flavor, ...(executor ? { executor } : {}) });
  w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER, sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } });
  w.addGroupGrant('Analysts', { groupName: 'analysts', role: WorkspaceRole.READ_ONLY, ticket: 'ACCESS-2', requestedBy: 'lead@acme.example' });
  return JSON.parse(Testing.synth(stack));
}

describe('the Terraform resources of a workspace', () => {
  test('terraform_data (default) and null_resource synthesize the same provisioners; only type, trigger attribute and the anchor\'s input differ', () => {
    const data = synthWith(ResourceFlavor.TERRAFORM_DATA);
    const nul = synthWith(ResourceFlavor.NULL_RESOURCE);
    expect(Object.keys(data.resource)).toEqual(['terraform_data']);
    expect(Object.keys(nul.resource)).toEqual(['null_resource']);
    expect(data.provider).toBeUndefined();
    expect(nul.provider.null).toHaveLength(1);
    const aligned = (provisioners: unknown) => JSON.stringify(provisioners).replace(/triggers_replace/g, 'triggers');
    const reconciler = { a: data.resource.terraform_data.workspace_reconciler, b: nul.resource.null_resource.workspace_reconciler };
    expect(aligned(reconciler.a.provisioner)).toBe(JSON.stringify(reconciler.b.provisioner));
    expect(reconciler.a.depends_on.map((d: string) => d.replace('terraform_data', 'null_resource'))).toEqual(reconciler.b.depends_on);
    expect(Object.keys(reconciler.a).sort()).toEqual(Object.keys(reconciler.b).sort().map((k) => (k === 'triggers' ? 'triggers_replace' : k)).sort());
    // The release anchor: identity only in the triggers of both. terraform_data keeps the token variable and
    // region in `input` (updated in place, read back through self.input); null_resource, which has no input,
    // gives them to its destroy provisioner from the current configuration.
    const release = { a: data.resource.terraform_data.workspace_release, b: nul.resource.null_resource.workspace_release };
    expect(release.a.triggers_replace).toEqual(release.b.triggers);
    expect(Object.keys(release.a.triggers_replace).sort()).toEqual(['app_id', 'record_prefix', 'workspace_id']);
    expect(release.a.input).toEqual({ token_env_var: 'SEGMENT_TEST_TOKEN', region: 'US', display_name: 'Acme Test' });
    expect(release.b.input).toBeUndefined();
    const envA = release.a.provisioner[0]['local-exec'].environment;
    const envB = release.b.provisioner[0]['local-exec'].environment;
    expect(envA).toMatchObject({ SEGMENT_ACCESS_TOKEN_ENV: '${try(self.input.token_env_var, "")}', SEGMENT_ACCESS_REGION: '${try(self.input.region, "")}' });
    expect(envB).toMatchObject({ SEGMENT_ACCESS_TOKEN_ENV: 'SEGMENT_TEST_TOKEN', SEGMENT_ACCESS_REGION: 'US' });
    const rest = (env: Record<string, string>) => aligned(Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'SEGMENT_ACCESS_TOKEN_ENV' && k !== 'SEGMENT_ACCESS_REGION')));
    expect(rest(envA)).toBe(rest(envB).replace(/triggers_replace/g, 'triggers'));
    // null_resource triggers are a flat map of strings: each grant becomes one readable line.
    expect(nul.resource.null_resource.workspace_reconciler.triggers['collaborators: ana@agency.example']).toBe(
      'kind: SERVICE_ACCOUNT | role: MEMBER | permissions: Minimal Workspace Access on workspace; Source Admin on source web (src_web); Tracking Plan Read-only on workspace | destinations: none | expires: never | ticket: ACCESS-1',
    );
    expect(nul.resource.null_resource.workspace_reconciler.triggers['group_grants: analysts']).toMatch(/^role: READ_ONLY \| permissions: .* \| ticket: ACCESS-2$/);
    expect(Object.values(nul.resource.null_resource.workspace_reconciler.triggers).every((v) => typeof v === 'string')).toBe(true);
    expect(data.resource.terraform_data.workspace_reconciler.triggers_replace.digest).toBe(nul.resource.null_resource.workspace_reconciler.triggers.digest);
  });

  test('Executor.command runs an installed binary as the interpreter, still without a shell', () => {
    const tf = synthWith(ResourceFlavor.TERRAFORM_DATA, Executor.command(['segment-access']));
    const exec = tf.resource.terraform_data.workspace_reconciler.provisioner[0]['local-exec'];
    expect(exec.interpreter).toEqual(['segment-access']);
    expect(exec.command).toBe('reconcile');
  });

  test('fails: Executor.command with an empty or control-character argument', () => {
    expect(() => Executor.command([])).toThrow(/Executor\.command: received \[\]; allowed: a program and its arguments/);
    expect(() => Executor.command(['segment-access', 'x\ny'])).toThrow(/argument 1 .*control characters/);
  });

  test('strings become Terraform literals: template introducers are doubled, in keys and values, and nothing else changes', () => {
    expect(terraformLiteralString('${file("/proc/self/environ")}')).toBe('$${file("/proc/self/environ")}');
    expect(terraformLiteralString('%{ if true }x%{ endif }')).toBe('%%{ if true }x%%{ endif }');
    expect(terraformLiteralString('$$${x}')).toBe('$$$${x}');
    expect(terraformLiteralString('cost $5 {ok} 100%')).toBe('cost $5 {ok} 100%');
    expect(terraformLiteral({ '${k}': { a: '%{v}', n: 'plain' } })).toEqual({ '$${k}': { a: '%%{v}', n: 'plain' } });
  });

  test('a hostile display name reaches cdk.tf.json as a literal', () => {
    const stack = testStack();
    const w = workspace(stack, { displayName: 'Acme ${file("/proc/self/environ")} %{ if true }x%{ endif }' });
    w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    const json = Testing.synth(stack);
    const triggers = JSON.parse(json).resource.terraform_data.workspace_reconciler.triggers_replace;
    expect(triggers.workspace).toBe('Acme $${file("/proc/self/environ")} %%{ if true }x%%{ endif } (ws_test_1)');
    expect(json).not.toMatch(/(^|[^$])\$\{file/);
  });
});
