// The one module that loads the CDK framework: CDK for Terraform (`cdktf` 0.21, archived by HashiCorp)
// or its community fork CDK Terrain (`cdktn` 0.24). CDK Terrain renames the packages but keeps the API,
// cdktf.json, cdktf.out/, the CDKTF_* variables, Terraform state and the Symbol.for("cdktf/...") markers
// (open-constructs/cdk-terrain-docs, release/upgrade-guide-v0-22), so one codebase serves both: the types
// are cdktf's (this repo's dev install), the values come from whichever package the project installed.
import type * as Cdk from 'cdktf';
import type { IConstruct } from 'constructs';
import { chooseFramework, CdkFramework, FRAMEWORK_ENV, FRAMEWORK_NAMES, installedFrameworks } from './framework-choice';

/** The framework package this process loaded, and its version. */
export interface LoadedFramework {
  /** The name it is installed under (and required by). */
  readonly name: CdkFramework;
  /** The package it really is, from jsii's type info: differs from `name` under an npm alias such as "cdktf": "npm:cdktn@0.24.0". */
  readonly package: string;
  readonly version: string;
  /** E.g. "CDK Terrain (cdktn 0.24.0)". */
  readonly description: string;
}

/** The package a jsii class comes from ("cdktf" or "cdktn"), from its fully qualified name. */
function packageOfType(type: unknown): string | undefined {
  const fqn = (type as { [key: symbol]: { fqn?: unknown } | undefined } | undefined)?.[Symbol.for('jsii.rtti')]?.fqn;
  return typeof fqn === 'string' ? fqn.split('.')[0] : undefined;
}

const NAME = chooseFramework(installedFrameworks(__dirname), process.env[FRAMEWORK_ENV]);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdk = require(NAME) as typeof Cdk;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION = String((require(`${NAME}/package.json`) as { version?: unknown }).version);

const PACKAGE = packageOfType(cdk.App) ?? NAME;
const PACKAGE_NAME = (FRAMEWORK_NAMES as Record<string, string>)[PACKAGE] ?? PACKAGE;

export const FRAMEWORK: LoadedFramework = { name: NAME, package: PACKAGE, version: VERSION, description: `${PACKAGE_NAME} (${PACKAGE} ${VERSION})` };

/** The package whose App is the root of this construct tree ("cdktf" or "cdktn"), from jsii's type info. */
export function frameworkOfApp(scope: IConstruct): string | undefined {
  return packageOfType(scope.node.root.constructor);
}

/**
 * Fails when the app was built with the other framework. Both can be installed side by side (a
 * `@cdktf/provider-*` package pulls cdktf into a cdktn project); most of their markers are shared, but
 * each keeps aspects under its own private symbol, so guardrails added with one would never run in an
 * app synthesized by the other. That must stop synth, not pass in silence.
 */
export function assertSameFramework(scope: IConstruct, what: string): void {
  const used = frameworkOfApp(scope);
  if (used === undefined || used === PACKAGE || !(FRAMEWORK_NAMES as Record<string, string>)[used]) return;
  throw new Error(
    `${what} "${scope.node.path}": the app is a ${used} App, but segment-access loaded ${FRAMEWORK.description} because both are installed. ` +
      `Fix: set ${FRAMEWORK_ENV}=${used} where you synthesize, or import App from "${PACKAGE}" in your app (one framework per project is best: see docs/cdk-terrain.md).`,
  );
}

export const App: typeof Cdk.App = cdk.App;
export type App = Cdk.App;
export const TerraformStack: typeof Cdk.TerraformStack = cdk.TerraformStack;
export type TerraformStack = Cdk.TerraformStack;
export const TerraformResource: typeof Cdk.TerraformResource = cdk.TerraformResource;
export type TerraformResource = Cdk.TerraformResource;
export const TerraformProvider: typeof Cdk.TerraformProvider = cdk.TerraformProvider;
export type TerraformProvider = Cdk.TerraformProvider;
export const TerraformBackend: typeof Cdk.TerraformBackend = cdk.TerraformBackend;
export type TerraformBackend = Cdk.TerraformBackend;
export const LocalBackend: typeof Cdk.LocalBackend = cdk.LocalBackend;
export type LocalBackend = Cdk.LocalBackend;
export const S3Backend: typeof Cdk.S3Backend = cdk.S3Backend;
export type S3Backend = Cdk.S3Backend;
export const Annotations: typeof Cdk.Annotations = cdk.Annotations;
export type Annotations = Cdk.Annotations;
export const Testing: typeof Cdk.Testing = cdk.Testing;
/** Context key: annotations carry no stack trace (the report says where, in the input's own terms). */
export const DISABLE_STACK_TRACE_IN_METADATA: typeof Cdk.DISABLE_STACK_TRACE_IN_METADATA = cdk.DISABLE_STACK_TRACE_IN_METADATA;
export type AppConfig = Cdk.AppConfig;
export const anyToHclTerraform: typeof Cdk.anyToHclTerraform = cdk.anyToHclTerraform;
export const hashMapperHcl: typeof Cdk.hashMapperHcl = cdk.hashMapperHcl;
export type { IAspect, ISynthesisSession, ITerraformDependable, LocalExecProvisioner } from 'cdktf';

/** The framework's Aspects, refusing an app of the other framework (whose synth would ignore them). */
export const Aspects: Pick<typeof Cdk.Aspects, 'of'> = {
  of(scope) {
    assertSameFramework(scope, 'Aspects');
    return cdk.Aspects.of(scope);
  },
};

// The framework implements per-construct synthesis hooks but does not re-export them from its index.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const synthesizer = require(`${NAME}/lib/synthesize/synthesizer`) as typeof import('cdktf/lib/synthesize/synthesizer');

/** Runs `write` when the construct's stack is synthesized, with the stack's output directory. */
export function onStackSynthesis(construct: IConstruct, write: (session: Cdk.ISynthesisSession) => void): void {
  synthesizer.addCustomSynthesis(construct, { onSynthesize: write });
}
