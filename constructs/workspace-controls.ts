import type { SegmentWorkspace } from './segment-workspace';
import { BUNDLED_EXECUTOR_FILE } from './executor';
import type { RolePreset } from '../model/role-presets';
import { SeparationOfDuties, SodRuleId } from '../model/separation-of-duties';

/**
 * The workspace's control settings as `cdktf plan` shows them, in words, beside the grants: a change
 * to any of them replaces the reconciler and reads as a named change (`~ authoritative = "false: ..."
 * -> "true: ..."`), never as a digest alone. One line per setting: to show a new control, add a line.
 */
const CONTROL_LINES: readonly (readonly [key: string, describe: (ws: SegmentWorkspace) => string])[] = [
  ['authoritative', (ws) => (ws.authoritative ? 'true: removes every member not declared and not retained' : 'false: touches only members this app manages')],
  ['retained_emails', (ws) => (ws.retainEmails.length ? [...ws.retainEmails].sort().join(', ') : 'none')],
  ['audit_trail', (ws) => (ws.useAuditTrail ? "used: a removal needs the record and Segment's audit trail to agree" : 'off: removals rest on the record alone')],
  ['seat_limit', (ws) => (ws.seatLimit === undefined ? 'none' : String(ws.seatLimit))],
  ['app_id', (ws) => ws.appId],
  ['record_prefix', (ws) => ws.recordPrefix],
  ['token_variable', (ws) => ws.tokenEnvVar],
  // The record key's variable, by name: the key itself is never written anywhere.
  ['record_key_variable', (ws) => ws.recordKeyEnvVar],
  ['legacy_records', (ws) => (ws.migrateLegacyRecords ? 'migrated: records from before app ids are read and adopted' : 'ignored: records from before app ids are never read')],
  ['region', (ws) => `${ws.region} (${ws.apiUrl})`],
  ['plan_tier', (ws) => ws.planTier],
  ['executor', (ws) => (ws.executor.usesBundledFile ? `bundled (node ${BUNDLED_EXECUTOR_FILE})` : ws.executor.argv.join(' '))],
  ['role_preset_overrides', (ws) => describePresetOverrides(ws.rolePresetOverrides)],
  ['acknowledgements', (ws) => (ws.acknowledgements.length ? ws.acknowledgements.map((a) => `${a.ruleId}: ${a.reason}`).join('; ') : 'none')],
  ['separation_of_duties', (ws) => describeSeparationOfDuties(ws.separationOfDuties)],
];

/** The `controls` entry of the reconciler's triggers. */
export function controlTriggers(ws: SegmentWorkspace): Record<string, string> {
  return Object.fromEntries(CONTROL_LINES.map(([key, describe]) => [key, describe(ws)]));
}

/** The separation-of-duties settings in words: what is privileged, and each waived rule with its reason. */
export function describeSeparationOfDuties(sod: Required<SeparationOfDuties>): string {
  const waived = new Map(sod.waivers.map((w) => [w.ruleId, w.reason]));
  return Object.values(SodRuleId)
    .map((id) => {
      const scope = id === SodRuleId.INDEPENDENT_APPROVER ? ` (privileged: ${sod.privilegedRoles.join(', ')})` : '';
      return waived.has(id) ? `${id} waived: ${waived.get(id)}` : `${id} enforced${scope}`;
    })
    .join('; ');
}

/** A workspace's preset overrides in words: each overridden preset with the roles it resolves to. */
function describePresetOverrides(overrides: Readonly<Record<string, RolePreset | undefined>>): string {
  const entries = Object.entries(overrides).filter((e): e is [string, RolePreset] => e[1] !== undefined);
  if (!entries.length) return 'none';
  const levels = (table: RolePreset['sourceRoles']) => Object.entries(table ?? {}).map(([level, role]) => `${level}=${role}`).join(', ');
  return entries
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([role, p]) => {
      const parts = [`workspace: ${p.workspaceRoles.join(', ') || 'none'}`];
      if (p.unscopedRoles?.length) parts.push(`unscoped: ${p.unscopedRoles.join(', ')}`);
      if (p.sourceRoles) parts.push(`sources: ${levels(p.sourceRoles)}`);
      if (p.warehouseRoles) parts.push(`warehouses: ${levels(p.warehouseRoles)}`);
      return `${role} (${parts.join('; ')})`;
    })
    .join('; ');
}
