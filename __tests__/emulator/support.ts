import { EmulatorOptions, findRoleByName, RunningEmulator, Seed, startEmulator } from '../../emulator';

export const ACME = 'ws-acme-prod';
export const ACME_TOKEN = 'token-acme-prod';
export const BETA = 'ws-beta';
export const BETA_TOKEN = 'token-beta';

export function roleId(name: string): string {
  const role = findRoleByName(name);
  if (!role) throw new Error(`No role named ${name}`);
  return role.id;
}

const onWorkspace = (id: string) => [{ type: 'WORKSPACE' as const, id }];

/** Two workspaces: Acme (seat limit 10, labelled sources, a group holding a user and an invite) and Beta. */
export function testSeed(): Seed {
  return {
    workspaces: [
      {
        id: ACME,
        slug: 'acme-prod',
        name: 'Acme Production',
        tokens: [ACME_TOKEN],
        seatLimit: 10,
        sources: [
          { id: 'src-web', name: 'Web', labels: { environment: 'prod', team: 'growth' } },
          { id: 'src-ios', name: 'iOS', labels: { environment: 'prod' } },
          { id: 'src-web-staging', name: 'Web (staging)', labels: { environment: 'staging' } },
        ],
        warehouses: [{ id: 'wh-snowflake', name: 'Snowflake' }],
        functions: [{ id: 'fn-enrich', name: 'Enrich' }],
        spaces: [{ id: 'spa-main', name: 'Main space' }],
        users: [
          { name: 'Alice Owner', email: 'alice@acme.com', permissions: [{ roleName: 'Workspace Owner', resources: onWorkspace(ACME) }] },
          {
            name: 'Bob Builder',
            email: 'bob@acme.com',
            permissions: [
              { roleName: 'Minimal Workspace Access', resources: onWorkspace(ACME) },
              { roleName: 'Source Admin', resources: [{ type: 'SOURCE', id: 'src-web' }] },
            ],
          },
        ],
        invites: [
          { email: 'carol@acme.com', permissions: [{ roleName: 'Source Read-only', resources: onWorkspace(ACME) }] },
        ],
        groups: [{ name: 'Managed by segment-access', members: ['bob@acme.com', 'carol@acme.com'] }],
      },
      {
        id: BETA,
        slug: 'beta',
        name: 'Beta',
        tokens: [BETA_TOKEN],
        users: [{ name: 'Dave', email: 'dave@beta.io', permissions: [{ roleName: 'Workspace Owner', resources: onWorkspace(BETA) }] }],
      },
    ],
  };
}

export function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({ seed: testSeed(), ...options });
}

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

/** A thin fetch wrapper speaking to the emulator the way a Segment client would. */
/** `token: null` sends no Authorization header. */
export function apiClient(emulator: RunningEmulator, token: string | null = ACME_TOKEN) {
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** The first error of an error envelope. */
export function firstError(reply: Reply): { type: string; message: string; field?: string; data?: any; status?: number } {
  expect(reply.body?.errors?.length).toBeGreaterThan(0);
  return reply.body.errors[0];
}

export async function userIdByEmail(api: ApiClient, email: string): Promise<string> {
  const reply = await api.get('/users?pagination.count=200');
  const user = reply.body.data.users.find((candidate: { email: string }) => candidate.email === email);
  if (!user) throw new Error(`No user ${email}`);
  return user.id;
}
