/**
 * Control settings whose change widens what a deploy may do to people: each is a guardrail error
 * (a rule with a stable id) until the code acknowledges it with a reason, which the plan and the
 * inventory then show. Acknowledgements live on the workspace configuration (code), never in a
 * requests file.
 */
export enum ControlRuleId {
  /** `authoritative: true`: removes members this code never managed. */
  AUTHORITATIVE = 'SA-CTRL-001',
  /** `useAuditTrail: false`: removals rest on the record alone. */
  AUDIT_TRAIL_OFF = 'SA-CTRL-002',
  /** An executor other than the bundled one: another program runs with the token. */
  CUSTOM_EXECUTOR = 'SA-CTRL-003',
}

/** An explicit, reviewed decision to use a control setting that needs one. */
export interface ControlAcknowledgement {
  /** Which control change, e.g. ControlRuleId.AUTHORITATIVE ('SA-CTRL-001'). */
  readonly ruleId: ControlRuleId;
  /** Why (at least 10 characters): shown in `cdktf plan` and recorded in the inventory. */
  readonly reason: string;
}

/** The settings the control rules judge. */
export interface ControlSettings {
  readonly authoritative: boolean;
  readonly useAuditTrail: boolean;
  readonly bundledExecutor: boolean;
}

/** Which acknowledgements these settings need. */
export function controlsNeedingAcknowledgement(settings: ControlSettings): ControlRuleId[] {
  return [
    ...(settings.authoritative ? [ControlRuleId.AUTHORITATIVE] : []),
    ...(settings.useAuditTrail ? [] : [ControlRuleId.AUDIT_TRAIL_OFF]),
    ...(settings.bundledExecutor ? [] : [ControlRuleId.CUSTOM_EXECUTOR]),
  ];
}
