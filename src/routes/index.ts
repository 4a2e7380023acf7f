/** Every HTTP route, grouped by Vlens resource. */
import type { FastifyInstance } from 'fastify';
import type client from 'prom-client';
import type { Hawiya } from '../server/context.js';
import { opsRoutes } from './ops.js';
import { credentialsRoutes } from './credentials.js';
import { accountRoutes } from './digital-identity/account.js';

export async function registerRoutes(app: FastifyInstance, ctx: Hawiya, metrics: client.Registry) {
  await opsRoutes(app, ctx, metrics);
  await credentialsRoutes(app, ctx);
  await accountRoutes(app, ctx);
}
