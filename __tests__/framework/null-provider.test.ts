import { Construct } from 'constructs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Aspects, assertSameFramework, FRAMEWORK, Testing, TerraformStack } from '../../framework';
import { NullProvider } from '../../constructs/null-provider';
import { ResourceFlavor, WorkspaceRole } from '../../model/enums';
import { collaborator, workspace, workspaceProps } from '../support/fixtures';
import { testStack } from '../support/synth';
import { SegmentWorkspace } from '../../constructs/segment-workspace';

/**
 * A second copy of the framework package, as when cdktf and cdktn are both installed (a
 * `@cdktf/provider-*` package pulls cdktf into a CDK Terrain project): its classes are not ours, so
 * `instanceof` is false across the two, while the framework's Symbol.for markers are shared.
 */
function otherCopyOfFramework(): typeof import('../../framework') {
  let copy: typeof import('../../framework') | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    copy = require(FRAMEWORK.name);
  });
  if (!copy || copy.TerraformProvider === (require(FRAMEWORK.name) as typeof copy).TerraformProvider) throw new Error('expected a second copy of the framework');
  return copy;
}

function synthNull(stack: TerraformStack) {
  const w = workspace(stack, { resourceFlavor: ResourceFlavor.NULL_RESOURCE });
  w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
  return JSON.parse(Testing.synth(stack));
}

describe('the null provider of the null_resource flavour', () => {
  test('one provider block and its required_providers entry, as @cdktf/provider-null 11 wrote them', () => {
    const stack = testStack();
    synthNull(stack);
    const json = JSON.parse(readFileSync(join(Testing.fullSynth(stack), 'stacks', 'test', 'cdk.tf.json'), 'utf8'));
    expect(json.provider).toEqual({ null: [{}] });
    expect(json.terraform.required_providers).toEqual({ null: { source: 'null', version: '3.2.4' } });
  });

  test('a null provider the user declared with ANOTHER copy of the framework is reused: no duplicate provider configuration', () => {
    const other = otherCopyOfFramework();
    class UsersNullProvider extends other.TerraformProvider {
      constructor(scope: Construct, id: string) {
        super(scope, id, { terraformResourceType: 'null', terraformProviderSource: 'null', terraformGeneratorMetadata: { providerName: 'null' } });
      }
    }
    const stack = testStack();
    const declared = new UsersNullProvider(stack, 'UsersNull');
    expect(declared instanceof (require(FRAMEWORK.name) as typeof other).TerraformProvider).toBe(false);
    const json = synthNull(stack);
    // Two blocks here is what made `terraform init` fail with "Duplicate provider configuration".
    expect(json.provider.null).toHaveLength(1);
    expect(stack.node.findAll().filter((c) => c instanceof NullProvider)).toEqual([]);
  });

  test('two null_resource workspaces in one stack share one provider', () => {
    const stack = testStack();
    workspace(stack, { resourceFlavor: ResourceFlavor.NULL_RESOURCE }, 'A');
    workspace(stack, { resourceFlavor: ResourceFlavor.NULL_RESOURCE, workspaceId: 'ws_test_2', tokenEnvVar: 'SEGMENT_TEST2_TOKEN' }, 'B');
    expect(JSON.parse(Testing.synth(stack)).provider.null).toHaveLength(1);
  });

  test('the terraform_data flavour (default) declares no provider at all', () => {
    const stack = testStack();
    workspace(stack);
    expect(JSON.parse(Testing.synth(stack)).provider).toBeUndefined();
  });
});

describe('an app of the other framework', () => {
  const otherName = FRAMEWORK.name === 'cdktf' ? 'cdktn' : 'cdktf';
  /** A root whose jsii type info says it is the other framework's App (what an App from that package reports). */
  function otherFrameworksApp(): Construct {
    class OtherApp extends Construct {}
    Object.defineProperty(OtherApp, Symbol.for('jsii.rtti'), { value: { fqn: `${otherName}.App`, version: '0.0.0' } });
    return new OtherApp(undefined as unknown as Construct, '');
  }

  test('stops synth, naming both frameworks and the fix: its synth would never run the guardrail aspects', () => {
    const scope = new Construct(otherFrameworksApp(), 'prod');
    expect(() => new SegmentWorkspace(scope, 'Workspace', workspaceProps())).toThrow(
      new RegExp(`SegmentWorkspace "prod/Workspace": the app is a ${otherName} App, but segment-access loaded .*${FRAMEWORK.name} ${FRAMEWORK.version.replace(/\./g, '\\.')}.* Fix: set SEGMENT_ACCESS_CDK_FRAMEWORK=${otherName}`),
    );
    expect(() => Aspects.of(scope)).toThrow(`Aspects "prod": the app is a ${otherName} App`);
  });

  test('an app of this framework, and a construct tree without an App, pass the check', () => {
    expect(() => new SegmentWorkspace(new TerraformStack(new App(), 'prod'), 'Workspace', workspaceProps())).not.toThrow();
    expect(() => assertSameFramework(new Construct(new Construct(undefined as unknown as Construct, ''), 'prod'), 'X')).not.toThrow();
  });
});
