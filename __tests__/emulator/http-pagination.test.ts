import { RunningEmulator, startEmulator } from '../../emulator';
import { ApiClient, apiClient, firstError } from './support';

const WORKSPACE = 'ws-big';

/** 25 users and 12 pending invites: enough for several pages. */
function bigSeed() {
  return {
    workspaces: [
      {
        id: WORKSPACE,
        slug: 'big',
        name: 'Big',
        tokens: ['token-big'],
        users: Array.from({ length: 25 }, (_, index) => ({
          name: `User ${index}`,
          email: `user${String(index).padStart(2, '0')}@big.io`,
          permissions: index === 0 ? [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE' as const, id: WORKSPACE }] }] : [],
        })),
        invites: Array.from({ length: 12 }, (_, index) => ({ email: `invite${String(index).padStart(2, '0')}@big.io` })),
      },
    ],
  };
}

describe('pagination', () => {
  let emulator: RunningEmulator;
  let api: ApiClient;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: bigSeed() });
    api = apiClient(emulator, 'token-big');
  });
  afterAll(() => emulator.stop());

  type Style = (count: number, cursor?: string) => string;
  const dotted: Style = (count, cursor) =>
    `pagination.count=${count}` + (cursor ? `&pagination.cursor=${encodeURIComponent(cursor)}` : '');
  const bracketed: Style = (count, cursor) =>
    `pagination%5Bcount%5D=${count}` + (cursor ? `&pagination%5Bcursor%5D=${encodeURIComponent(cursor)}` : '');

  async function walk(path: string, listKey: string, style: Style, count: number) {
    const pages: Array<{ items: string[]; pagination: any }> = [];
    let cursor: string | undefined;
    do {
      const reply = await api.get(`${path}?${style(count, cursor)}`);
      expect(reply.status).toBe(200);
      const items = reply.body.data[listKey].map((item: any) => (typeof item === 'string' ? item : item.id));
      pages.push({ items, pagination: reply.body.data.pagination });
      cursor = reply.body.data.pagination.next;
    } while (cursor && pages.length < 50);
    return pages;
  }

  it.each([
    ['dotted', dotted],
    ['bracketed', bracketed],
  ])('walks every user exactly once with %s query keys and cursors', async (_name, style) => {
    const pages = await walk('/users', 'users', style, 10);
    expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
    const ids = pages.flatMap((page) => page.items);
    expect(new Set(ids).size).toBe(25);
    expect(pages[0].pagination.previous).toBeUndefined();
    expect(pages[2].pagination.next).toBeUndefined();
    expect(pages.every((page) => page.pagination.totalEntries === 25)).toBe(true);
  });

  it('gives a previous cursor that leads back to the previous page', async () => {
    const pages = await walk('/users', 'users', dotted, 10);
    const back = await api.get(`/users?${dotted(10, pages[2].pagination.previous)}`);
    expect(back.body.data.users.map((user: { id: string }) => user.id)).toEqual(pages[1].items);
    const current = await api.get(`/users?${dotted(10, pages[1].pagination.current)}`);
    expect(current.body.data.users.map((user: { id: string }) => user.id)).toEqual(pages[1].items);
  });

  it('orders results stably across calls', async () => {
    const first = await walk('/invites', 'invites', dotted, 5);
    const second = await walk('/invites', 'invites', bracketed, 5);
    expect(second.map((page) => page.items)).toEqual(first.map((page) => page.items));
    expect(first.flatMap((page) => page.items)).toEqual([...first.flatMap((page) => page.items)].sort());
  });

  it('paginates roles too', async () => {
    const pages = await walk('/roles', 'roles', dotted, 5);
    expect(pages.map((page) => page.items.length)).toEqual([5, 5, 5, 1]);
  });

  it('defaults to 10 items and allows up to 200', async () => {
    expect((await api.get('/users')).body.data.users).toHaveLength(10);
    expect((await api.get('/users?pagination.count=200')).body.data.users).toHaveLength(25);
    expect((await api.get('/users?pagination.count=1')).body.data.users).toHaveLength(1);
  });

  it.each(['0', '201', '-1', '2.5', 'ten'])('rejects pagination.count=%s with 400', async (count) => {
    const reply = await api.get(`/users?pagination.count=${count}`);
    expect(reply.status).toBe(400);
    expect(firstError(reply)).toMatchObject({ type: 'validation', field: 'pagination.count' });
  });

  it('rejects a cursor it never issued', async () => {
    const reply = await api.get('/users?pagination.cursor=garbage');
    expect(reply.status).toBe(400);
    expect(firstError(reply).field).toBe('pagination.cursor');
  });
});
