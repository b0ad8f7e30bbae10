import { Environment, SegmentAccessStack, synthesizeApp } from 'segment-access';
import { accessDefinition } from './definition';

// One stack per workspace of the definition (definition.ts), each named after its environment. A problem
// in the workspaces or in access.yaml is printed once, with the fix, and stops synth before anything
// reaches Segment.
synthesizeApp((app) => {
  const definition = accessDefinition();
  for (const environment of Object.keys(definition.workspaces) as Environment[]) {
    new SegmentAccessStack(app, environment, { definition, environment });
  }
});
