// The framework's jest matchers (toHaveResourceWithProperties, ...) and their types, for the tests' setup.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from './cdk-framework';

/** Registers the framework's jest matchers; call once from jest's setup file. */
export function setupFrameworkJest(): void {
  Testing.setupJest();
}
