import { SourcesApi, WarehousesApi } from '@segment/public-api-sdk-typescript';
import { RunningEmulator, startEmulator } from '../../emulator';
import { SegmentApiClient } from '../../api/client';
import { ACME, ACME_TOKEN, apiClient, firstError, startTestEmulator } from './support';

describe('GET /sources and GET /warehouses (the workspace catalog)', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => (emulator = await startTestEmulator()));
  afterAll(() => emulator.stop());

  test('SourceV1: id, slug derived from the name, name, metadata, workspaceId, enabled, writeKeys, settings, labels as LabelV1', async () => {
    const reply = await apiClient(emulator).get('/sources');
    expect(reply.status).toBe(200);
    const web = reply.body.data.sources.find((s: { id: string }) => s.id === 'src-web-staging');
    expect(web).toMatchObject({
      id: 'src-web-staging',
      slug: 'web_staging',
      name: 'Web (staging)',
      workspaceId: ACME,
      enabled: true,
      settings: {},
      labels: [{ key: 'environment', value: 'staging' }],
    });
    expect(web.metadata).toMatchObject({ id: expect.any(String), name: expect.any(String), slug: expect.any(String), status: 'PUBLIC', options: [], categories: expect.any(Array) });
    expect(web.writeKeys).toHaveLength(1);
    expect(reply.body.data.pagination).toMatchObject({ current: expect.any(String), totalEntries: 3 });
    expect(reply.body.data.pagination.next).toBeUndefined();
  });

  test('WarehouseV1: no name field, the name in settings.name', async () => {
    const reply = await apiClient(emulator).get('/warehouses');
    expect(reply.status).toBe(200);
    expect(reply.body.data.warehouses).toEqual([
      { id: 'wh-snowflake', metadata: expect.objectContaining({ slug: expect.any(String) }), workspaceId: ACME, enabled: true, settings: { name: 'Snowflake' } },
    ]);
  });

  test('paginated with cursors in both query styles; a bad count is the same validation error as on every list', async () => {
    const api = apiClient(emulator);
    const first = await api.get('/sources?pagination.count=2');
    expect(first.body.data.sources.map((s: { id: string }) => s.id)).toEqual(['src-ios', 'src-web']);
    const second = await api.get(`/sources?pagination%5Bcount%5D=2&pagination%5Bcursor%5D=${encodeURIComponent(first.body.data.pagination.next)}`);
    expect(second.body.data.sources.map((s: { id: string }) => s.id)).toEqual(['src-web-staging']);
    const bad = await api.get('/warehouses?pagination.count=0');
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBe((await api.get('/users?pagination.count=0')).status);
    expect(firstError(bad).field).toBe('pagination.count');
  });

  test('401 without a token; a token sees only its own workspace', async () => {
    expect((await apiClient(emulator, null).get('/sources')).status).toBe(401);
    const beta = await apiClient(emulator, 'token-beta').get('/sources');
    expect(beta.body.data.sources).toEqual([]);
  });

  test('the client lists every page and keeps neither write keys nor settings beyond the name', async () => {
    const big = await startEmulator({
      seed: {
        workspaces: [
          {
            id: 'ws-cat',
            slug: 'cat',
            name: 'Cat',
            tokens: ['token-cat-1'],
            sources: Array.from({ length: 7 }, (_, i) => ({ id: `src${i}`, name: `Source ${i}`, labels: (i % 2 ? { environment: 'prod' } : {}) as Record<string, string> })),
            warehouses: Array.from({ length: 3 }, (_, i) => ({ id: `wh${i}`, name: `Warehouse ${i}` })),
            users: [{ name: 'Owner', email: 'owner@cat.example', permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: 'ws-cat' }] }] }],
          },
        ],
      },
    });
    try {
      const client = new SegmentApiClient({ token: 'token-cat-1', baseUrl: big.url, pageSize: 2 });
      const sources = await client.listSources();
      expect(sources).toHaveLength(7);
      expect(sources[1]).toEqual({ id: 'src1', slug: 'source_1', name: 'Source 1', labels: [{ key: 'environment', value: 'prod' }] });
      expect(await client.listWarehouses()).toEqual([0, 1, 2].map((i) => ({ id: `wh${i}`, name: `Warehouse ${i}`, kind: 'emulated-warehouse' })));
      expect(client.stats.reads).toBe(4 + 2);
    } finally {
      await big.stop();
    }
  });
});

test("Segment's own TypeScript SDK lists sources and warehouses from the emulator (paths, query encoding, models)", async () => {
  const emulator = await startTestEmulator();
  try {
    const sources = new SourcesApi(emulator.url);
    sources.accessToken = ACME_TOKEN;
    const page = await sources.listSources({ count: 2 });
    expect(page.body.data?.sources.map((s) => s.slug)).toEqual(['ios', 'web']);
    const rest = await sources.listSources({ count: 2, cursor: page.body.data?.pagination.next as string });
    expect(rest.body.data?.sources.map((s) => s.labels)).toEqual([[{ key: 'environment', value: 'staging' }]]);
    const warehouses = new WarehousesApi(emulator.url);
    warehouses.accessToken = ACME_TOKEN;
    const listed = await warehouses.listWarehouses({ count: 10 });
    expect(listed.body.data?.warehouses.map((w) => w.settings.name)).toEqual(['Snowflake']);
  } finally {
    await emulator.stop();
  }
});
