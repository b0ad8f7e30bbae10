import { Environment, SegmentAccessStack, synthesizeApp } from 'segment-access';
import { accessDefinition } from './definition';

// One stack per workspace (prod, staging, dev), all from one definition (definition.ts). A problem in
// the workspaces or in access.yaml is printed once, with the fix, and stops synth before anything
// reaches Segment.
synthesizeApp((app) => {
  const definition = accessDefinition();
  for (const environment of Object.keys(definition.workspaces) as Environment[]) {
    new SegmentAccessStack(app, environment, { definition, environment });
  }
});
