/** Every HTTP route, grouped by Vlens resource. */
import type { FastifyInstance } from 'fastify';
import type client from 'prom-client';
import type { Hawiya } from '../server/context.js';
import { opsRoutes } from './ops.js';
import { credentialsRoutes } from './credentials.js';
import { accountRoutes } from './digital-identity/account.js';
import { verifyRoutes } from './digital-identity/verify.js';
import { imageRoutes } from './digital-identity/images.js';
import { ocrRoutes } from './ocr.js';
import { transactionRoutes } from './transactions.js';
import { adminRoutes } from './admin.js';
import { profileRoutes } from './digital-identity/profile.js';

export async function registerRoutes(app: FastifyInstance, ctx: Hawiya, metrics: client.Registry) {
  await opsRoutes(app, ctx, metrics);
  await credentialsRoutes(app, ctx);
  await accountRoutes(app, ctx);
  await verifyRoutes(app, ctx);
  await imageRoutes(app, ctx);
  await ocrRoutes(app, ctx);
  await transactionRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await profileRoutes(app, ctx);
}
