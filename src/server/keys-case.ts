/**
 * ASP.NET accepts JSON property names in any casing and SDKs and middlewares vary (`transactionId`,
 * `TransactionId`, `GeoLocation.Latitude`): map incoming keys onto the schema's spelling, recursively.
 */
type Schema = { properties?: Record<string, Schema>; items?: Schema; [k: string]: unknown };

export function normalizeKeys(value: unknown, schema: Schema): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((v) => normalizeKeys(v, schema.items!)) : value;
  if (!value || typeof value !== 'object' || !schema.properties) return value;
  const props = schema.properties;
  const byLower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const canonical = k in props ? k : byLower.get(k.toLowerCase()) ?? k;
    // An exact-case key wins over a differently-cased duplicate.
    if (canonical in out && canonical !== k) continue;
    out[canonical] = props[canonical] ? normalizeKeys(v, props[canonical]!) : v;
  }
  return out;
}
