/** Operations endpoints: liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type client from 'prom-client';
import { sql } from 'kysely';
import type { Hawiya } from '../server/context.js';
import { envelope, errorEnvelope } from '../server/envelope.js';

export async function opsRoutes(app: FastifyInstance, ctx: Hawiya, metrics: client.Registry) {
  app.get('/healthz', { config: { auth: 'none' }, schema: { hide: true } }, async () => envelope({ status: 'ok' }));

  app.get('/readyz', { config: { auth: 'none' }, schema: { hide: true } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      await sql`select 1`.execute(ctx.db);
      checks.database = 'ok';
    } catch {
      checks.database = 'failed';
    }
    try {
      await ctx.blobs.check();
      checks.blobs = 'ok';
    } catch {
      checks.blobs = 'failed';
    }
    // Engines load in the background after start: 'starting' is not ready yet, 'failed' needs an operator.
    for (const [name, state] of Object.entries(ctx.engines.state())) if (state !== 'off') checks[`engine.${name}`] = state === 'ready' ? 'ok' : state;
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ready ? 200 : 503).send(ready ? envelope({ status: 'ready', checks }) : errorEnvelope(503, 'Not ready', checks));
  });

  app.get('/metrics', { config: { auth: 'none' }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.metrics();
  });
}
