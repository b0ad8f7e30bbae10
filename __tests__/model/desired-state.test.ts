// The desired state's one reading rule: a workspace written before plan tiers existed is BUSINESS.
import { planTierOf } from '../../model/desired-state';
import { PlanTier } from '../../model/enums';

test('the declared plan tier, or BUSINESS when the desired state has none', () => {
  expect(planTierOf({})).toBe(PlanTier.BUSINESS);
  expect(planTierOf({ planTier: undefined })).toBe(PlanTier.BUSINESS);
  for (const tier of Object.values(PlanTier)) expect(planTierOf({ planTier: tier })).toBe(tier);
});
