// Every control setting is in the reconciler's `controls` trigger by name, so changing it shows in the
// plan as that name (docs/requests-and-controls.md). Written for the hand-written mutant
// constructs-retained-not-in-controls (scripts/hand-mutants.js): a control left out of the list
// passed every test of this folder; only the end-to-end plan test noticed.
import { Region } from '../../model/enums';
import { controlTriggers } from '../../constructs/workspace-controls';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import { workspace } from '../support/fixtures';
import { testStack } from '../support/synth';

const controls = (overrides: Partial<SegmentWorkspaceProps> = {}) => controlTriggers(workspace(testStack(), overrides));

describe("the reconciler's controls trigger", () => {
  test('names every control setting', () => {
    expect(Object.keys(controls()).sort()).toEqual(
      [
        'acknowledgements', 'app_id', 'audit_trail', 'authoritative', 'executor', 'legacy_records', 'plan_tier', 'record_key_variable',
        'record_prefix', 'region', 'retained_emails', 'role_preset_overrides', 'seat_limit', 'separation_of_duties', 'token_variable',
      ].sort(),
    );
  });

  test.each<[string, Partial<SegmentWorkspaceProps>, string, string]>([
    ['retained emails', { retainEmails: ['it-admin@acme.example', 'cfo@acme.example'] }, 'retained_emails', 'cfo@acme.example, it-admin@acme.example'],
    ['the seat limit', { seatLimit: 10 }, 'seat_limit', '10'],
    ['the app id', { appId: 'growth-team' }, 'app_id', 'growth-team'],
    ['the record prefix', { recordPrefix: 'acme-records' }, 'record_prefix', 'acme-records'],
    ['the region', { region: Region.EU }, 'region', 'EU (https://eu1.api.segmentapis.com)'],
  ])('%s: changes its own line, and only it', (_what, change, key, value) => {
    const before = controls();
    const after = controls(change);
    expect(after[key]).toBe(value);
    expect(before[key]).not.toBe(value);
    expect(Object.keys(after).filter((k) => after[k] !== before[k])).toEqual([key]);
  });
});
