import type { Seed, SeedPermission } from '../../emulator/seed';

/**
 * Acme's three live workspaces as a platform team finds them before adopting segment-access: access
 * granted by hand over the years. About 30 people, 60 memberships: owners, every preset shape,
 * custom permissions (near-misses of presets included), label-scoped access, pending invites, an
 * IdP (SCIM) group with members who hold no permissions of their own, and a group with none.
 */
export const IMPORT_WS = { prod: 'wsAcmeProd01', staging: 'wsAcmeStage01', dev: 'wsAcmeDev01' } as const;
export const IMPORT_TOKENS = { prod: 'import-prod-token-1a2b3c', staging: 'import-staging-token-4d5e6f', dev: 'import-dev-token-7g8h9i' } as const;
export const IMPORT_TOKEN_ENV = { prod: 'SEGMENT_PROD_TOKEN', staging: 'SEGMENT_STAGING_TOKEN', dev: 'SEGMENT_DEV_TOKEN' } as const;

type Env = keyof typeof IMPORT_WS;
type Perm = (ws: string) => SeedPermission[];

const on = (roleName: string, ...resources: SeedPermission['resources']): SeedPermission => ({ roleName, resources });
const wsr = (ws: string, labels?: { key: string; value: string }[]) => ({ type: 'WORKSPACE' as const, id: ws, ...(labels ? { labels } : {}) });
const src = (id: string) => ({ type: 'SOURCE' as const, id });

/** The presets, as Segment permissions (design.md section 4). */
const OWNER: Perm = (ws) => [on('Workspace Owner', wsr(ws))];
const ADMIN: Perm = (ws) =>
  ['Minimal Workspace Access', 'Source Admin', 'Tracking Plan Admin', 'Function Admin', 'Warehouse Destination Admin', 'Unify and Engage Admin'].map((r) => on(r, wsr(ws)));
const READ_ONLY: Perm = (ws) =>
  ['Minimal Workspace Access', 'Tracking Plan Read-only', 'Source Read-only', 'Function Read-only', 'Warehouse Destination Read-only', 'Unify and Engage Read-only'].map((r) => on(r, wsr(ws)));
const base = (ws: string) => [on('Minimal Workspace Access', wsr(ws)), on('Tracking Plan Read-only', wsr(ws))];
const member = (role: 'Source Admin' | 'Source Read-only', ...sources: string[]): Perm => (ws) => [...base(ws), on(role, ...sources.map(src))];

function sources(env: Env) {
  const s = (name: string, platform: string) => ({ id: `src${env[0].toUpperCase()}${env.slice(1)}${name[0].toUpperCase()}${name.slice(1)}`, name, labels: { environment: env, platform } });
  return [s('web', 'web'), s('ios', 'mobile'), s('android', 'mobile'), s('server', 'server')];
}

const srcId = (env: Env, name: string) => sources(env).find((s) => s.name === name)!.id;

/** Each person: their access per environment (absent = not a member there). */
const PEOPLE: { email: string; name: string; access: Partial<Record<Env, Perm>> }[] = [
  { email: 'it-admin@acme.example', name: 'IT Admin', access: { prod: OWNER, staging: OWNER, dev: OWNER } },
  { email: 'cto@acme.example', name: 'Casey CTO', access: { prod: OWNER, staging: ADMIN } },
  { email: 'dana.lee@acme.example', name: 'Dana Lee', access: { prod: ADMIN, staging: ADMIN, dev: ADMIN } },
  { email: 'priya.shah@northwind-analytics.example', name: 'Priya Shah', access: { prod: READ_ONLY, staging: READ_ONLY, dev: ADMIN } },
  { email: 'segment@northwind-analytics.example', name: 'Northwind implementation', access: { prod: (ws) => member('Source Admin', srcId('prod', 'web'), srcId('prod', 'ios'))(ws), staging: (ws) => member('Source Admin', srcId('staging', 'web'), srcId('staging', 'ios'))(ws), dev: (ws) => member('Source Admin', srcId('dev', 'web'), srcId('dev', 'ios'))(ws) } },
  { email: 'bi-reporting@acme.example', name: 'BI reporting', access: { prod: READ_ONLY, staging: READ_ONLY, dev: READ_ONLY } },
  { email: 'jonas.weber@contractors.acme.example', name: 'Jonas Weber', access: { staging: (ws) => member('Source Read-only', srcId('staging', 'ios'))(ws), dev: (ws) => member('Source Read-only', srcId('dev', 'ios'))(ws) } },
  // Label-scoped: Source Admin on every source labelled platform=mobile, in every environment.
  { email: 'mobile-team@acme.example', name: 'Mobile team', access: { prod: (ws) => [...base(ws), on('Source Admin', wsr(ws, [{ key: 'platform', value: 'mobile' }]))], staging: (ws) => [...base(ws), on('Source Admin', wsr(ws, [{ key: 'platform', value: 'mobile' }]))] } },
  // Read-only narrowed by label to production sources.
  { email: 'qa-lead@acme.example', name: 'QA lead', access: { prod: (ws) => [...base(ws), on('Source Read-only', wsr(ws, [{ key: 'environment', value: 'prod' }]))] } },
  { email: 'data-eng@acme.example', name: 'Data engineering', access: { prod: (ws) => member('Source Admin', srcId('prod', 'server'))(ws), staging: (ws) => member('Source Admin', srcId('staging', 'server'))(ws) } },
  // Custom: warehouse destinations only (Segment grants that role workspace-wide; no preset has this shape).
  { email: 'warehouse-ops@acme.example', name: 'Warehouse ops', access: { prod: (ws) => [on('Minimal Workspace Access', wsr(ws)), on('Warehouse Destination Admin', wsr(ws))] } },
  // Near-miss of ADMIN: everything but Function Admin. Must not map to ADMIN.
  { email: 'ops@acme.example', name: 'Ops', access: { prod: (ws) => ADMIN(ws).filter((p) => p.roleName !== 'Function Admin'), staging: ADMIN } },
  // Near-miss of MEMBER: Source Admin on web but no Tracking Plan Read-only.
  { email: 'growth@acme.example', name: 'Growth', access: { prod: (ws) => [on('Minimal Workspace Access', wsr(ws)), on('Source Admin', src(srcId('prod', 'web')))] } },
  // Near-miss of READ_ONLY: the read-only set plus Function Admin.
  { email: 'functions@acme.example', name: 'Functions', access: { dev: (ws) => [...READ_ONLY(ws), on('Function Admin', { type: 'FUNCTION', id: 'fnDevEnrich' })] } },
  // Read-only on web: the same permissions as MEMBER with read-only access; MEMBER with admin in staging.
  { email: 'marketing@acme.example', name: 'Marketing analyst', access: { prod: (ws) => member('Source Read-only', srcId('prod', 'web'))(ws), staging: (ws) => member('Source Admin', srcId('staging', 'web'))(ws) } },
  // A personal mailbox (SA-EMAIL-001 in the report).
  { email: 'sam.doe@gmail.com', name: 'Sam Doe', access: { dev: READ_ONLY } },
  // Unify/Engage only, on a space (custom).
  { email: 'engage@acme.example', name: 'Engage', access: { prod: (ws) => [on('Minimal Workspace Access', wsr(ws)), on('Unify and Engage Read-only', { type: 'SPACE', id: 'spaProdMain' })] } },
  // A member with no permissions at all (nothing to declare).
  { email: 'ghost@acme.example', name: 'Former employee', access: { staging: () => [] } },
  ...['ana', 'ben', 'chen', 'dev', 'eli', 'fay', 'gus', 'hana', 'ivo'].map((n, i) => ({
    email: `${n}@acme.example`,
    name: n[0].toUpperCase() + n.slice(1),
    access: i % 3 === 0
      ? { prod: READ_ONLY, staging: READ_ONLY, dev: READ_ONLY }
      : i % 3 === 1
        ? { staging: (ws: string) => member('Source Admin', srcId('staging', 'android'))(ws), dev: (ws: string) => member('Source Admin', srcId('dev', 'android'))(ws) }
        : { prod: (ws: string) => member('Source Read-only', srcId('prod', 'android'))(ws), dev: (ws: string) => member('Source Admin', srcId('dev', 'android'))(ws) },
  })),
  // IdP-provisioned engineers: their access comes from the group grant only.
  { email: 'scim.one@acme.example', name: 'SCIM One', access: { prod: () => [], staging: () => [] } },
  { email: 'scim.two@acme.example', name: 'SCIM Two', access: { prod: () => [] } },
];

const PENDING: Partial<Record<Env, { email: string; invitedAt?: string; permissions?: Perm }[]>> = {
  prod: [
    { email: 'new.hire@acme.example', invitedAt: '2026-11-24T09:00:00Z', permissions: READ_ONLY },
    { email: 'agency@partner.example', invitedAt: '2026-11-01T09:00:00Z' },
  ],
  staging: [{ email: 'new.hire@acme.example', invitedAt: '2026-11-25T09:00:00Z', permissions: READ_ONLY }],
  dev: [{ email: 'qa-lead@acme.example' }],
};

export function importSeed(): Seed {
  const envs: Env[] = ['prod', 'staging', 'dev'];
  const names = { prod: 'Acme Production', staging: 'Acme Staging', dev: 'Acme Development' };
  return {
    workspaces: envs.map((env) => {
      const ws = IMPORT_WS[env];
      const cap = env[0].toUpperCase() + env.slice(1);
      return {
        id: ws,
        slug: `acme-${env}`,
        name: names[env],
        tokens: [IMPORT_TOKENS[env]],
        seatLimit: 60,
        sources: sources(env),
        warehouses: env === 'dev' ? [] : [{ id: `wh${cap}Snowflake`, name: 'snowflake' }],
        functions: [{ id: `fn${cap}Enrich`, name: 'enrich' }],
        spaces: [{ id: `spa${cap}Main`, name: 'main' }],
        users: PEOPLE.filter((p) => p.access[env]).map((p) => ({ name: p.name, email: p.email, permissions: p.access[env]!(ws) })),
        invites: (PENDING[env] ?? []).map((i) => ({ email: i.email, ...(i.invitedAt ? { invitedAt: i.invitedAt } : {}), ...(i.permissions ? { permissions: i.permissions(ws) } : {}) })),
        groups: [
          ...(env !== 'dev'
            ? [{ name: 'Analytics Engineers', permissions: member('Source Admin', srcId(env, 'web'))(ws), members: env === 'prod' ? ['scim.one@acme.example', 'scim.two@acme.example'] : ['scim.one@acme.example'] }]
            : []),
          ...(env === 'prod' ? [{ name: 'Legacy Contractors', members: [] }] : []),
        ],
      };
    }),
  } as Seed;
}

/** Memberships in the seed, for the assertions. */
export function seedMemberships(): number {
  return importSeed().workspaces.reduce((n, w) => n + (w.users?.length ?? 0), 0);
}
