#!/usr/bin/env node
/**
 * The `hawiya` command: serve, migrate, tenant/apikey/admin management, and the engine tools.
 */
import { Command } from 'commander';
import { startServer } from './server/start.js';

const program = new Command();
program.name('hawiya').description('Hawiya — self-hostable, Vlens-compatible eKYC server for Egyptian national IDs');

program.command('serve').description('start the HTTP server (PORT, HOST, DATABASE_URL, HAWIYA_* from the environment)')
  .action(async () => {
    const server = await startServer();
    const stop = async (signal: string) => {
      server.app.log.info({ signal }, 'shutting down');
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

await program.parseAsync(process.argv);
