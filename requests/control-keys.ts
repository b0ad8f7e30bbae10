import { WorkspacePropsSchema } from '../constructs/segment-workspace-props';

/**
 * Settings that govern the tool rather than ask for access: the workspace configuration (identity,
 * token variable, region, catalog, presets, authoritative mode, retained emails, record names, audit
 * trail, seat limit, plan tier, SSO/SCIM, executor, resource flavour) and what the stack and the
 * guardrails take (suppressions, acknowledgements, guardrail options, state backend). They are code the
 * platform team owns; a requests file that names one is refused with a message saying so.
 */
const APP_CONTROLS = ['workspaces', 'suppressions', 'acknowledgements', 'guardrails', 'backend', 'localStatePath', 'definition', 'limits'];

/** Control names that are also ordinary request fields at some depth (a SourceAccess names `sources`). */
const ALSO_REQUEST_FIELDS = new Set(['sources', 'warehouses', 'environment', 'displayName']);

const CONTROLS: ReadonlySet<string> = new Set([...Object.keys(WorkspacePropsSchema.shape), ...APP_CONTROLS]);

/** Whether an unknown key at this depth (0 = the top of the file) is a control setting. */
export function isControlKey(key: string, depth: number): boolean {
  return CONTROLS.has(key) && (depth === 0 || !ALSO_REQUEST_FIELDS.has(key));
}
