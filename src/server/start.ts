/**
 * Builds the application context from configuration, runs migrations, performs the first-start bootstrap
 * and starts listening. Also used by tests, which start a real server on a random port.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import { TokenService } from '../auth/tokens.js';
import { EncryptedBlobs } from '../storage/blobs/store.js';
import { openBlobBackend } from '../storage/blobs/open.js';
import { OtpService } from '../auth/otp.js';
import { ConsoleOtpSender, HttpOtpSender, type OtpSender } from '../notify/otp-senders.js';
import { UserService } from '../users/service.js';
import { createEngines } from '../verification/create-engines.js';
import { noEngines } from '../verification/engines.js';
import type { Hawiya } from './context.js';
import { buildApp } from './app.js';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import { openStore } from './store.js';

export async function createContext(config: Config, log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>): Promise<Hawiya> {
  const store = await openStore(config);
  const blobs = new EncryptedBlobs(await openBlobBackend(config.blobUrl));
  const sender: OtpSender = config.otpProvider === 'http'
    ? new HttpOtpSender(config.otpHttpUrl ?? (() => { throw new Error('HAWIYA_OTP_HTTP_URL is required with HAWIYA_OTP_PROVIDER=http'); })(), config.otpHttpToken)
    : new ConsoleOtpSender(log);
  const engines = config.engines ? await createEngines(config) : noEngines();
  const ctx: Hawiya = {
    ...store,
    tokens: new TokenService(store.db, store.keyring.jwtKey()),
    blobs,
    otp: new OtpService(store.db, sender),
    users: new UserService(store.db),
    engines,
    close: async () => {
      await engines.close();
      await store.close();
    },
  };
  return ctx;
}

export interface RunningServer {
  app: FastifyInstance;
  ctx: Hawiya;
  url: string;
  bootstrap: BootstrapResult | undefined;
  close(): Promise<void>;
}

export async function startServer(overrides: Partial<Config> = {}): Promise<RunningServer> {
  const config = loadConfig(overrides);
  // The context needs a logger before Fastify exists (OTP console provider): a small JSON logger that Fastify's replaces.
  const early = { info: (o: object, m?: string) => console.log(JSON.stringify({ level: 30, ...o, msg: m })), warn: console.warn, error: console.error };
  const holder: { log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'> } = { log: early };
  const proxyLog = { info: (o: object, m?: string) => holder.log.info(o, m), warn: (o: any, m?: string) => holder.log.warn(o, m), error: (o: any, m?: string) => holder.log.error(o, m) };
  const ctx = await createContext(config, proxyLog as any);
  const { app } = await buildApp(ctx);
  holder.log = app.log;
  const boot = await bootstrap(ctx, app.log);
  const engineWarm = ctx.engines.warm().catch((e) => app.log.error({ err: e }, 'engine warm-up failed'));
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    app, ctx, url: `http://${host}:${port}`, bootstrap: boot,
    close: async () => {
      await engineWarm;
      await app.close();
      await ctx.close();
    },
  };
}
