import { App } from './framework';
import { Environment } from './model/enums';
import { SegmentAccessStack } from './stacks/segment-access-stack';
import { EXAMPLE_ACCESS } from './stacks/example-access';

const app = new App();
for (const environment of [Environment.PROD, Environment.STAGING, Environment.DEV]) {
  new SegmentAccessStack(app, environment, { definition: EXAMPLE_ACCESS, environment });
}
app.synth();
