import { Testing } from '{{framework}}';
import { Environment, NOW_CONTEXT_KEY, SegmentAccessStack } from 'segment-access';
import { accessDefinition } from '../definition';

// Synth decides expiry from "now": pinned, so the snapshots change only when the access does.
// Review a snapshot change like the access change it is; `npx jest -u` records an intended one.
const NOW = '{{today}}';
const definition = accessDefinition();

describe.each(Object.keys(definition.workspaces) as Environment[])('the %s stack', (environment) => {
  const stack = () => new SegmentAccessStack(Testing.app({ context: { [NOW_CONTEXT_KEY]: NOW } }), environment, { definition, environment });

  test('passes the guardrails', () => {
    expect(() => Testing.fullSynth(stack())).not.toThrow();
  });

  test('synthesizes the access as reviewed', () => {
    const synthesized = stack();
    expect(JSON.parse(Testing.synth(synthesized))).toMatchSnapshot();
    expect(synthesized.workspace.desiredStateJson()).toMatchSnapshot();
  });
});
