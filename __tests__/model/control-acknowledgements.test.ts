// model/control-acknowledgements.ts on its own: exactly the risky settings need an acknowledgement,
// each under its stable rule id.
import { ControlRuleId, controlsNeedingAcknowledgement } from '../../model/control-acknowledgements';

const SAFE = { authoritative: false, useAuditTrail: true, bundledExecutor: true } as const;

describe('controlsNeedingAcknowledgement', () => {
  test('the rule ids are stable API', () => {
    expect(ControlRuleId.AUTHORITATIVE).toBe('SA-CTRL-001');
    expect(ControlRuleId.AUDIT_TRAIL_OFF).toBe('SA-CTRL-002');
    expect(ControlRuleId.CUSTOM_EXECUTOR).toBe('SA-CTRL-003');
  });

  test('the safe defaults need none', () => {
    expect(controlsNeedingAcknowledgement(SAFE)).toEqual([]);
  });

  test.each([
    [{ authoritative: true }, [ControlRuleId.AUTHORITATIVE]],
    [{ useAuditTrail: false }, [ControlRuleId.AUDIT_TRAIL_OFF]],
    [{ bundledExecutor: false }, [ControlRuleId.CUSTOM_EXECUTOR]],
  ])('each risky setting alone needs its own rule: %j', (change, expected) => {
    expect(controlsNeedingAcknowledgement({ ...SAFE, ...change })).toEqual(expected);
  });

  test('every combination needs exactly the rules of its risky settings, in rule order', () => {
    for (const authoritative of [false, true])
      for (const useAuditTrail of [false, true])
        for (const bundledExecutor of [false, true]) {
          const expected = [
            ...(authoritative ? [ControlRuleId.AUTHORITATIVE] : []),
            ...(!useAuditTrail ? [ControlRuleId.AUDIT_TRAIL_OFF] : []),
            ...(!bundledExecutor ? [ControlRuleId.CUSTOM_EXECUTOR] : []),
          ];
          expect(controlsNeedingAcknowledgement({ authoritative, useAuditTrail, bundledExecutor })).toEqual(expected);
        }
  });
});
