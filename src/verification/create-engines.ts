/** Wires the real document and face engines (filled in once the engines land). */
import type { Config } from '../config.js';
import { noEngines, type Engines } from './engines.js';

export async function createEngines(_config: Config): Promise<Engines> {
  return noEngines();
}
