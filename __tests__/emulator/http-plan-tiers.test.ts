import { RunningEmulator, startEmulator } from '../../emulator';
import { apiClient, firstError, roleId } from './support';

const WS = 'ws-team';
const TOKEN = 'token-team';

/** A Team-plan workspace: only Workspace Owner and Source Admin, no user groups, no audit trail (segment-docs iam/membership.md, iam/audit-trail.md). */
describe('a Team-plan workspace', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      seed: {
        workspaces: [
          {
            id: WS,
            slug: 'team',
            name: 'Team',
            planTier: 'team',
            tokens: [TOKEN],
            sources: [{ id: 'src-1', name: 'One', labels: { environment: 'prod' } }],
            users: [{ name: 'Owner', email: 'owner@team.io', permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: WS }] }] }],
          },
        ],
      },
    });
  });
  afterAll(() => emulator.stop());
  const api = () => apiClient(emulator, TOKEN);

  it('lists only Workspace Owner and Source Admin in GET /roles', async () => {
    const roles = (await api().get('/roles')).body.data.roles.map((r: { name: string }) => r.name);
    expect(roles).toEqual(['Source Admin', 'Workspace Owner']);
  });

  it('grants Source Admin, but refuses Business roles and labels with 422', async () => {
    expect((await api().post('/invites', { invites: [{ email: 'a@team.io', permissions: [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-1', type: 'SOURCE' }] }] }] })).status).toBe(201);
    const business = await api().post('/invites', { invites: [{ email: 'b@team.io', permissions: [{ roleId: roleId('Source Read-only'), resources: [{ id: 'src-1', type: 'SOURCE' }] }] }] });
    expect(business.status).toBe(422);
    expect(firstError(business)).toMatchObject({ type: 'input-validation', field: 'invites[0].permissions[0].roleId', message: expect.stringMatching(/team-plan workspace/) });
    const labelled = await api().post('/invites', { invites: [{ email: 'c@team.io', permissions: [{ roleId: roleId('Source Admin'), labels: [{ key: 'environment', value: 'prod' }] }] }] });
    expect(labelled.status).toBe(422);
    expect(firstError(labelled).message).toMatch(/Label-based access is a Business-plan feature/);
  });

  it.each([
    ['GET', '/groups'],
    ['POST', '/groups'],
    ['GET', '/groups/any'],
    ['PUT', '/group/any/users'],
    ['GET', '/audit-events'],
  ])('refuses %s %s with 403 forbidden naming the plan (an assumption: Segment documents no status)', async (method, path) => {
    const reply = await (method === 'GET' ? api().get(path) : method === 'POST' ? api().post(path, { name: 'x' }) : api().put(path, { emails: [] }));
    expect(reply.status).toBe(403);
    expect(firstError(reply)).toMatchObject({ type: 'forbidden', message: expect.stringMatching(/Business plan only; this workspace is on the team plan/) });
  });
});
