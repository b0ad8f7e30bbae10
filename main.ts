import { App } from './framework';
import { Environment } from './model/enums';
import { SegmentAccessStack } from './stacks/segment-access-stack';
import { exampleDefinition } from './stacks/example-workspaces';
import { loadAccessRequestsOrExit } from './requests/load';

// Controls are this code (workspaces, tokens, executor, guardrails); requests are data (access.yaml).
const definition = exampleDefinition(loadAccessRequestsOrExit('access.yaml'));
const app = new App();
for (const environment of [Environment.PROD, Environment.STAGING, Environment.DEV]) {
  new SegmentAccessStack(app, environment, { definition, environment });
}
app.synth();
