/**
 * The HTTP server: Fastify with the Vlens envelope on every response (errors included), request ids,
 * per-tenant rate limits, case-insensitive JSON keys, metrics and the OpenAPI document.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import client from 'prom-client';
import type { Hawiya } from './context.js';
import { ERROR_CODES, VlensError, errorMessage, httpStatusFor, type Lang } from './errors.js';
import { errorEnvelope } from './envelope.js';
import { RateLimiter } from './rate-limit.js';
import { makeAuthHook } from '../auth/guard.js';
import { TamperError } from '../crypto/keys.js';
import { normalizeKeys } from './keys-case.js';
import { registerRoutes } from '../routes/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
}

/** Small JSON endpoints accept 64 KiB; image endpoints raise this per route. */
export const SMALL_BODY_LIMIT = 64 * 1024;
/** Three 5 MB frames plus an optional reference image, base64-inflated. */
export const IMAGE_BODY_LIMIT = 30 * 1024 * 1024;

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

function langOf(req: FastifyRequest): Lang {
  const h = req.headers['accept_language'] ?? req.headers['accept-language'];
  const v = (Array.isArray(h) ? h[0] : h) ?? '';
  return v.trim().toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

function hasProtoKey(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasProtoKey);
  return Object.keys(v).some((k) => k === '__proto__' || hasProtoKey((v as Record<string, unknown>)[k]));
}

export interface BuiltApp {
  app: FastifyInstance;
  metrics: client.Registry;
}

export async function buildApp(ctx: Hawiya): Promise<BuiltApp> {
  const app = Fastify({
    logger: {
      level: ctx.config.logLevel,
      redact: { paths: ['req.headers.apikey', 'req.headers.authorization'], remove: true },
      serializers: {
        // Only method, route and ids: no headers, query strings or bodies, which may carry personal data.
        req: (req: FastifyRequest) => ({ method: req.method, url: req.routeOptions?.url ?? req.url.split('?')[0], reqId: req.id }),
      },
    },
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      const v = Array.isArray(h) ? h[0] : h;
      return v && REQUEST_ID_RE.test(v) ? v : crypto.randomUUID();
    },
    bodyLimit: SMALL_BODY_LIMIT,
    trustProxy: ctx.config.trustProxy,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: true, useDefaults: true, allErrors: false, allowUnionTypes: true } },
    return503OnClosing: true,
    // Requests Node's HTTP parser rejects (oversized headers, garbage) get the envelope too, not Fastify's own JSON.
    clientErrorHandler: (err: Error & { code?: string }, socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const body = JSON.stringify(errorEnvelope(status, status === 431 ? 'Request headers are too large.' : status === 408 ? 'Request timeout.' : ERROR_CODES[400]!.en));
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    },
  });

  const metrics = new client.Registry();
  client.collectDefaultMetrics({ register: metrics });
  const httpDuration = new client.Histogram({
    name: 'hawiya_http_request_duration_seconds', help: 'HTTP request duration', registers: [metrics],
    labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  });
  const businessErrors = new client.Counter({
    name: 'hawiya_errors_total', help: 'Envelope errors by Vlens code', registers: [metrics], labelNames: ['code'],
  });

  // JSON under both content types the SDK samples use; anything else is 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/json-patch+json', 'text/json', 'application/*+json'], { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(new VlensError(400, 'Malformed JSON body.', 400), undefined);
    }
    // A "__proto__" key becomes the prototype of the object it is copied into (keys-case normalisation) and
    // smuggles inherited fields past schema validation: refuse it, as Fastify's default parser does.
    // (Checked on the parsed value: the key may be written with \u escapes.)
    let bad: boolean;
    try { bad = hasProtoKey(parsed); } catch { bad = true; } // nesting too deep to inspect
    if (bad) return done(new VlensError(400, 'Forbidden property name "__proto__" in the JSON body.', 400), undefined);
    done(null, parsed);
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Hawiya — Vlens-compatible eKYC API', version: '0.1.0', description: 'Self-hostable identity verification for Egyptian national ID cards. Every response uses the Vlens envelope {data, error_code, error_message, error_descriptions}.' },
      components: {
        securitySchemes: {
          ApiKey: { type: 'apiKey', in: 'header', name: 'ApiKey' },
          Bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const limiter = new RateLimiter();
  const authenticate = makeAuthHook(ctx);
  app.addHook('onRequest', async (req, reply) => {
    req.lang = langOf(req);
    reply.header('X-Request-Id', req.id);
    await authenticate(req, reply);
    if (req.tenant) {
      const { perSecond, perMinute } = req.tenant.settings.rateLimit;
      const wait = limiter.hit(`t${req.tenant.id}`, perSecond, perMinute);
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        throw new VlensError(429);
      }
    }
  });
  app.addHook('preValidation', async (req) => {
    const schema = req.routeOptions.schema?.body as Record<string, unknown> | undefined;
    if (schema && req.body && typeof req.body === 'object') req.body = normalizeKeys(req.body, schema);
  });
  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe({ method: req.method, route: req.routeOptions?.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err: FastifyError | VlensError | Error, req, reply) => {
    const lang = req.lang ?? langOf(req);
    let code: number;
    let status: number | undefined;
    let message: string | undefined;
    let descriptions: unknown = null;
    if (err instanceof VlensError) {
      code = err.code;
      status = err.status;
      message = lang === 'en' ? err.detail : undefined;
      descriptions = err.descriptions ?? null;
    } else if ((err as FastifyError).validation) {
      code = 400;
      const v = (err as FastifyError).validation!;
      descriptions = v.map((e) => ({ field: (e.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || String((e.params as any)?.missingProperty ?? ''), message: e.message ?? 'invalid' }));
      message = lang === 'en' ? `Bad Request - ${(err as FastifyError).message}` : undefined;
    } else if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      code = 413;
    } else if ((err as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      code = 415;
      message = lang === 'en' ? 'Unsupported content type: send application/json.' : undefined;
    } else if (err instanceof TamperError) {
      req.log.error({ err: err.message }, 'stored data failed authentication');
      code = 500;
      message = lang === 'en' ? 'Stored data failed its integrity check and was not returned.' : undefined;
    } else if (typeof (err as FastifyError).statusCode === 'number' && (err as FastifyError).statusCode! < 500) {
      code = (err as FastifyError).statusCode!;
    } else {
      req.log.error({ err }, 'unhandled error');
      code = 500;
    }
    status ??= httpStatusFor(code, req.tenant?.settings.businessErrorStatus ?? 200);
    if (code >= 1000) businessErrors.inc({ code: String(code) });
    const extras = (err as VlensError & { extras?: Record<string, unknown> }).extras ?? {};
    reply.code(status).send(errorEnvelope(code, message ?? errorMessage(code, lang), descriptions, extras));
  });

  app.setNotFoundHandler((req, reply) => {
    const lang = req.lang ?? langOf(req);
    reply.code(404).send(errorEnvelope(404, lang === 'en' ? `No route for ${req.method} ${req.url.split('?')[0]}.` : errorMessage(404, lang)));
  });

  await registerRoutes(app, ctx, metrics);
  return { app, metrics };
}
