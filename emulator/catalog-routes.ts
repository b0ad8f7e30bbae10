import { segmentStyleId } from './ids';
import { paginate, readPageRequest } from './pagination';
import { Route, RouteContext } from './router';

// The workspace catalog as the Public API lists it: `GET /sources` -> ListSourcesV1Output
// { sources: SourceV1[], pagination } and `GET /warehouses` -> ListWarehousesV1Output
// { warehouses: WarehouseV1[], pagination } (segmentio/public-api-sdk-typescript v73:
// api/sourcesApi.ts listSources, api/warehousesApi.ts listWarehouses, model/sourceV1.ts,
// model/warehouseV1.ts, model/sourceMetadataV1.ts, model/warehouseMetadataV1.ts).

/**
 * A source's slug as the Segment app derives it from the name when the source is created
 * (lowercase, other characters as "_"). The emulator's assumption: seeds give names only.
 */
export function sourceSlug(name: string, id: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return slug || id.toLowerCase();
}

/** Seeds do not say what kind of source or warehouse an entry is: one catalog entry stands for all (an emulator assumption). */
const SOURCE_METADATA = {
  id: 'emulatorSourceMetadata',
  name: 'Emulated source',
  slug: 'emulated-source',
  description: 'A source of the Segment API emulator.',
  logos: { default: 'https://cdn.segment.com/emulator/source.svg' },
  options: [],
  categories: ['Other'],
  isCloudEventSource: false,
  status: 'PUBLIC',
};

const WAREHOUSE_METADATA = {
  id: 'emulatorWarehouseMetadata',
  name: 'Emulated warehouse',
  slug: 'emulated-warehouse',
  description: 'A warehouse of the Segment API emulator.',
  logos: { default: 'https://cdn.segment.com/emulator/warehouse.svg' },
  options: [],
};

export function renderSource(workspaceId: string, source: { id: string; name: string; labels: Record<string, string> }) {
  return {
    id: source.id,
    slug: sourceSlug(source.name, source.id),
    name: source.name,
    metadata: SOURCE_METADATA,
    workspaceId,
    enabled: true,
    // Left empty by Segment only for tokens without Source Admin; emulator tokens are workspace owners.
    writeKeys: [segmentStyleId(`write-key:${workspaceId}:${source.id}`)],
    settings: {},
    labels: Object.entries(source.labels).map(([key, value]) => ({ key, value })),
  };
}

/** WarehouseV1 has no name field: Segment returns the name in `settings.name` (terraform-provider-segment internal/provider/models/warehouse.go). */
export function renderWarehouse(workspaceId: string, warehouse: { id: string; name: string }) {
  return { id: warehouse.id, metadata: WAREHOUSE_METADATA, workspaceId, enabled: true, settings: { name: warehouse.name } };
}

/** A paginated list route over one catalog collection, keyed by id. */
function catalogList<T extends { id: string }>(pattern: string, key: string, list: (ctx: RouteContext) => T[], render: (workspaceId: string, item: T) => unknown): Route {
  return {
    method: 'GET',
    pattern,
    handle: (ctx) => {
      const page = paginate(list(ctx), (item) => item.id, readPageRequest(ctx.query, ctx.state.settings.maxPageCount));
      return { data: { [key]: page.items.map((item) => render(ctx.workspaceId, item)), pagination: page.pagination } };
    },
  };
}

export const catalogRoutes: Route[] = [
  catalogList('/sources', 'sources', ({ state, workspaceId }) => state.listSources(workspaceId), renderSource),
  catalogList('/warehouses', 'warehouses', ({ state, workspaceId }) => state.listWarehouses(workspaceId), renderWarehouse),
];
