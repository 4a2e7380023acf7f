// Plain-JS entry for pool workers: the project runs TypeScript through tsx without a build step, and the
// pool starts workers with an empty execArgv, so the worker registers tsx itself before loading worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
