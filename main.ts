import { Environment } from './model/enums';
import { SegmentAccessStack } from './stacks/segment-access-stack';
import { exampleDefinition } from './stacks/example-workspaces';
import { loadAccessRequests } from './requests/load';
import { synthesizeApp } from './stacks/synthesize-app';

// Controls are this code (workspaces, tokens, executor, guardrails); requests are data (access.yaml).
// A problem in either is printed once, with the fix, and stops synth (exit 1).
synthesizeApp((app) => {
  const definition = exampleDefinition(loadAccessRequests('access.yaml'));
  for (const environment of [Environment.PROD, Environment.STAGING, Environment.DEV]) {
    new SegmentAccessStack(app, environment, { definition, environment });
  }
});
