import { RunningEmulator, startEmulator } from '../../emulator';
import { ApiClient, apiClient, firstError } from './support';

const WORKSPACE = 'ws-big';

/** 230 users (more than the default page) and 12 pending invites. */
function bigSeed() {
  return {
    workspaces: [
      {
        id: WORKSPACE,
        slug: 'big',
        name: 'Big',
        tokens: ['token-big'],
        users: Array.from({ length: 230 }, (_, index) => ({
          name: `User ${index}`,
          email: `user${String(index).padStart(3, '0')}@big.io`,
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
    const pages = await walk('/users', 'users', style, 100);
    expect(pages.map((page) => page.items.length)).toEqual([100, 100, 30]);
    const ids = pages.flatMap((page) => page.items);
    expect(new Set(ids).size).toBe(230);
    expect(pages[0].pagination.previous).toBeUndefined();
    expect('next' in pages[2].pagination).toBe(false);
    expect(pages.every((page) => page.pagination.totalEntries === 230)).toBe(true);
  });

  it("uses Segment's cursors: MA== is the first page, each cursor is the base64 offset", async () => {
    // docs.segmentapis.com "Pagination": { current: "MA==", next: "Mw==" } for a page of 3.
    const first = await api.get('/users?pagination.count=3&pagination.cursor=MA%3D%3D');
    expect(first.status).toBe(200);
    expect(first.body.data.pagination).toMatchObject({ current: 'MA==', next: 'Mw==', totalEntries: 230 });
    const implicit = await api.get('/users?pagination.count=3');
    expect(implicit.body.data).toEqual(first.body.data);
    const second = await api.get('/users?pagination.count=3&pagination.cursor=Mw%3D%3D');
    expect(second.body.data.pagination).toMatchObject({ current: 'Mw==', next: 'Ng==', previous: 'MA==' });
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
    expect(pages.map((page) => page.items.length)).toEqual([5, 5, 5, 3]);
  });

  it('defaults to 200 items (docs "Pagination") and allows up to 1000 (SDK model/paginationInput.ts)', async () => {
    const defaulted = await api.get('/users');
    expect(defaulted.body.data.users).toHaveLength(200);
    expect(defaulted.body.data.pagination.next).toBe(Buffer.from('200').toString('base64'));
    expect((await api.get('/users?pagination.count=1000')).body.data.users).toHaveLength(230);
    expect((await api.get('/users?pagination.count=1')).body.data.users).toHaveLength(1);
  });

  it.each(['0', '1001', '-1', '2.5', 'ten', ''])('rejects pagination.count=%s with 422', async (count) => {
    const reply = await api.get(`/users?pagination.count=${count}`);
    expect(reply.status).toBe(422);
    expect(firstError(reply)).toMatchObject({ type: 'input-validation', field: 'pagination.count' });
  });

  it.each(['garbage', 'LTE=', 'MDE=', 'MA'])('rejects a cursor it could not have issued (%s)', async (cursor) => {
    const reply = await api.get(`/users?pagination.cursor=${encodeURIComponent(cursor)}`);
    expect(reply.status).toBe(422);
    expect(firstError(reply)).toMatchObject({ type: 'input-validation', field: 'pagination.cursor' });
  });

  it('answers a cursor past the end with an empty last page', async () => {
    const reply = await api.get(`/users?pagination.cursor=${encodeURIComponent(Buffer.from('5000').toString('base64'))}`);
    expect(reply.body.data.users).toEqual([]);
    expect(reply.body.data.pagination.next).toBeUndefined();
  });
});
