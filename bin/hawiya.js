#!/usr/bin/env node
// Launcher for the `hawiya` command: Hawiya runs from its TypeScript sources (no build step), so register
// tsx's loader in this process and hand over to src/cli.ts.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli.ts', import.meta.url).href);
