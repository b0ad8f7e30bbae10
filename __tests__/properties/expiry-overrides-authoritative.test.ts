import { App } from '../../framework';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { CollaboratorKind, Environment, WorkspaceRole } from '../../model/enums';
import { planReconcile, type RemovalReason } from '../../reconciler/plan';
import type { AccessDefinition, CollaboratorAccess, EnvironmentOverride } from '../../stacks/access-definition';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { WS_ID } from '../support/desired';
import { live, recordGroup, user } from '../support/live';
import { MEMBERS } from '../support/plan-world';
import { fc, numRuns } from './fast-check-config';

// Where expiry, per-environment overrides and authoritative mode meet: one definition, synthesized
// for prod, staging and dev, then deployed some days later to workspaces where everyone declared is a
// managed member. In each environment a person loses access exactly when that environment's grant is
// absent or has ended by the deploy (an override's expiresOn replaces the shared one there, and only
// there); retained members are never removed; authoritative mode removes the undeclared unmanaged
// member and nobody else it would not remove anyway.

const SYNTH = '2026-11-27T12:00:00Z';
const ENVIRONMENTS = [Environment.PROD, Environment.STAGING, Environment.DEV] as const;
/** Days: ended before synth, ends between synth and a deploy 10 days later, ends within 40 days, far ahead. */
const DAYS = ['2026-11-01', '2026-12-01', '2027-01-01', '2027-06-01'] as const;
const PEOPLE = ['c0', 'c1', 'c2', 'c3'];
const UNMANAGED = 'other@agency.example';
const OWNER = 'boss@acme.example';

const overrideArb: fc.Arbitrary<Omit<EnvironmentOverride, 'reason'> | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...DAYS).map((expiresOn) => ({ expiresOn })),
  fc.constant({ absent: true }),
  fc.constant<Omit<EnvironmentOverride, 'reason'>>({ customPermissions: [{ role: 'Source Read-only', workspace: true }] }),
);
const personArb = fc.record({
  expiresOn: fc.option(fc.constantFrom(...DAYS), { nil: undefined }),
  overrides: fc.tuple(overrideArb, overrideArb, overrideArb),
  retained: fc.boolean(),
});
const scenarioArb = fc.record({
  people: fc.tuple(personArb, personArb, personArb, personArb),
  authoritative: fc.boolean(),
  deployAfterDays: fc.constantFrom(0, 10, 40),
  unmanagedRetained: fc.boolean(),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

const emailOf = (id: string) => `${id}@agency.example`;

function definitionOf(s: Scenario): AccessDefinition {
  const retainEmails = [...s.people.flatMap((p, i) => (p.retained ? [emailOf(PEOPLE[i])] : [])), ...(s.unmanagedRetained ? [UNMANAGED] : [])];
  const workspaces = Object.fromEntries(
    ENVIRONMENTS.map((environment) => [
      environment,
      { workspaceId: `ws_${environment}`, slug: `acme-${environment}`, displayName: `Acme ${environment}`, environment, tokenEnvVar: `SEGMENT_${environment.toUpperCase()}_TOKEN`, authoritative: s.authoritative, retainEmails },
    ]),
  );
  const collaborators: CollaboratorAccess[] = s.people.map((p, i) => ({
    id: PEOPLE[i],
    email: emailOf(PEOPLE[i]),
    displayName: PEOPLE[i],
    kind: CollaboratorKind.PERSON,
    requestedBy: 'lead@acme.example',
    ticket: 'ACCESS-1',
    grant: { role: WorkspaceRole.CUSTOM, customPermissions: [{ role: 'Minimal Workspace Access', workspace: true }], ...(p.expiresOn ? { expiresOn: p.expiresOn } : {}) },
    environments: Object.fromEntries(
      ENVIRONMENTS.flatMap((env, e) => (p.overrides[e] ? [[env, { ...p.overrides[e], reason: 'Differs in this environment.' }]] : [])),
    ),
  }));
  return { workspaces, collaborators };
}

/** What the oracle says about a person in one environment at the deploy. */
function expectedRemoval(s: Scenario, i: number, e: number, deployAt: Date): RemovalReason[] {
  const p = s.people[i];
  if (p.retained) return [];
  const override = p.overrides[e];
  if (override && 'absent' in override) return ['not declared', 'expired'];
  const expiresOn = override && 'expiresOn' in override ? override.expiresOn : p.expiresOn;
  return expiresOn !== undefined && Date.parse(`${expiresOn}T00:00:00Z`) <= deployAt.getTime() ? ['expired'] : [];
}

test('each environment removes exactly the grants absent or ended there, keeps retained members, and authoritative mode adds only the undeclared', () => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const app = new App({ context: { [NOW_CONTEXT_KEY]: SYNTH } });
      const definition = definitionOf(s);
      const deployAt = new Date(Date.parse(SYNTH) + s.deployAfterDays * 86_400_000);
      ENVIRONMENTS.forEach((environment, e) => {
        const desired = new SegmentAccessStack(app, environment, { definition, environment }).workspace.desiredState();
        const emails = PEOPLE.map(emailOf);
        const state = live({
          users: [user(OWNER, 'Workspace Owner'), user(UNMANAGED, 'Minimal Workspace Access'), ...emails.map((email) => user(email, 'Minimal Workspace Access'))],
          own: [recordGroup(MEMBERS, emails)],
        });
        const plan = planReconcile({ ...desired, workspace: { ...desired.workspace, id: WS_ID } }, state, { now: deployAt });
        const removals = new Map(plan.changes.flatMap((c) => (c.kind === 'remove-user' ? [[c.email, c.reason] as const] : [])));
        PEOPLE.forEach((id, i) => {
          const allowed = expectedRemoval(s, i, e, deployAt);
          const got = removals.get(emailOf(id));
          const context = { environment, person: id, allowed, got };
          if (allowed.length === 0) expect(context).toEqual({ ...context, got: undefined });
          else expect(allowed).toContain(got);
        });
        const unmanaged = removals.get(UNMANAGED);
        expect({ environment, unmanaged }).toEqual({ environment, unmanaged: s.authoritative && !s.unmanagedRetained ? 'not declared (authoritative workspace)' : undefined });
        expect(removals.has(OWNER)).toBe(false);
      });
    }),
    { numRuns: numRuns(60) },
  );
});
