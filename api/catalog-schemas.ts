import { z } from 'zod';
import { LabelSchema, PaginationSchema } from './schemas';

// The workspace catalog: SourceV1 and WarehouseV1 (segmentio/public-api-sdk-typescript v73,
// model/sourceV1.ts and model/warehouseV1.ts), reduced to what access management needs. Write keys
// and settings other than the name are credentials or configuration: never read into this client.

export const SourceSchema = z.object({
  id: z.string(),
  /** Unique in the workspace; `name` is optional in the model. */
  slug: z.string(),
  name: z.string().nullish().transform((name) => name ?? null),
  labels: z
    .array(LabelSchema)
    .nullish()
    .transform((labels) => labels ?? []),
});

/** WarehouseV1 carries its name in `settings.name` (as terraform-provider-segment reads it). */
export const WarehouseSchema = z
  .object({
    id: z.string(),
    metadata: z.object({ slug: z.string().nullish() }).nullish(),
    settings: z.record(z.string(), z.unknown()).nullish(),
  })
  .transform((w) => ({
    id: w.id,
    name: typeof w.settings?.name === 'string' && w.settings.name.trim() !== '' ? w.settings.name : null,
    kind: w.metadata?.slug ?? null,
  }));

export const SourcesPageSchema = z.object({ sources: z.array(SourceSchema), pagination: PaginationSchema });
export const WarehousesPageSchema = z.object({ warehouses: z.array(WarehouseSchema), pagination: PaginationSchema });

export type SourceV1 = z.infer<typeof SourceSchema>;
export type WarehouseV1 = z.output<typeof WarehouseSchema>;
