import { z } from 'zod';
import { valueSpecSchema } from './protocol.ts';

/** Where a model's bytes come from: a URL to download, a file in an installed package, or a local file. */
export const modelSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.url() }).strict(),
  z.object({ kind: z.literal('package'), package: z.string().min(1), file: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('file'), path: z.string().min(1) }).strict(),
]);
export type ModelSource = z.infer<typeof modelSource>;

/** One catalog entry: enough to fetch, verify and feed a model without opening it first. */
export const modelEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
    name: z.string().min(1).max(120),
    description: z.string().max(500).default(''),
    source: modelSource,
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    sizeBytes: z.number().int().positive(),
    licence: z.string().min(1).max(200),
    inputs: z.array(valueSpecSchema).min(1),
    outputs: z.array(valueSpecSchema).min(1),
  })
  .strict();
export type ModelEntry = z.infer<typeof modelEntry>;

/** A catalog entry as listed to the UI, with where (or whether) its bytes are present. */
export const modelListing = modelEntry.extend({
  availability: z.enum(['local', 'cached', 'download']),
});
export type ModelListing = z.infer<typeof modelListing>;
