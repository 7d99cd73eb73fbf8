import type pg from "pg";
import type { SpecRow } from "@/lib/specs/history";
import { featureOf } from "@/lib/specs/kinds";

/** Stage 4a, derive features: the features the written specs belong to, key → name (pure). */
export function featuresOf(specs: readonly Pick<SpecRow, "path">[]): Map<string, string> {
  const features = new Map<string, string>();
  for (const spec of specs) {
    const feature = featureOf(spec.path);
    if (feature) features.set(feature.key, feature.name);
  }
  return features;
}

/** Stores the features a repository does not have yet and returns every one's id, by key. */
export async function storeFeatures(client: pg.PoolClient, opts: { repositoryId: string; features: Map<string, string> }): Promise<Map<string, string>> {
  const keys = [...opts.features.keys()];
  const ids = new Map<string, string>();
  if (keys.length === 0) return ids;
  await client.query(
    `INSERT INTO "Feature" ("id", "repositoryId", "key", "name")
     SELECT gen_random_uuid()::text, $1, k, n FROM unnest($2::text[], $3::text[]) AS t(k, n)
     ON CONFLICT ("repositoryId", "key") DO NOTHING`,
    [opts.repositoryId, keys, keys.map((k) => opts.features.get(k)!)],
  );
  const found = await client.query<{ id: string; key: string }>(`SELECT id, key FROM "Feature" WHERE "repositoryId" = $1 AND key = ANY($2::text[])`, [
    opts.repositoryId,
    keys,
  ]);
  for (const f of found.rows) ids.set(f.key, f.id);
  return ids;
}
