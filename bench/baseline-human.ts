/**
 * Baseline face engine for the eval: @vladmandic/human 3.3.6 on the tfjs wasm backend (no native code,
 * no network), set up as in face-feasibility.md appendix B.1. Single-threaded; used only by the bench.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);

export interface BaselineFace {
  embedding: number[];
  real: number;
  live: number;
  width: number;
}

export class HumanBaseline {
  private constructor(private readonly human: any, private readonly tf: any) {}

  static async create(): Promise<HumanBaseline> {
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    require('@tensorflow/tfjs-backend-wasm');
    // The package's exports map lacks "./" keys, so load the wasm build by path (tfjs-node must never load).
    const H = require(join(dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js'));
    tf.io.registerLoadRouter((url: unknown) => {
      const u = Array.isArray(url) ? url[0] : url;
      if (typeof u !== 'string' || !u.startsWith('file://')) return null;
      const file = u.slice(7);
      return {
        load: async () => {
          const json = JSON.parse(readFileSync(file, 'utf8'));
          const dir = dirname(file);
          const specs: unknown[] = [];
          const bufs: Buffer[] = [];
          for (const g of json.weightsManifest) {
            specs.push(...g.weights);
            for (const p of g.paths) bufs.push(readFileSync(join(dir, p)));
          }
          const all = Buffer.concat(bufs);
          return {
            modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
            weightSpecs: specs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
            userDefinedMetadata: json.userDefinedMetadata, signature: json.signature,
          };
        },
      };
    });
    const pkgDir = dirname(dirname(require.resolve('@vladmandic/human')));
    const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    const human = new H.Human({
      backend: 'wasm', cacheModels: false, warmup: 'none', cacheSensitivity: 0, debug: false,
      wasmPath: join(wasmDir, 'dist') + '/',
      modelBasePath: 'file://' + join(pkgDir, 'models') + '/',
      filter: { enabled: false }, gesture: { enabled: false },
      face: {
        enabled: true, detector: { rotation: true, maxDetected: 5, minConfidence: 0.2, skipFrames: 0, skipTime: 0 },
        mesh: { enabled: true }, iris: { enabled: false }, description: { enabled: true, skipFrames: 0, skipTime: 0 }, emotion: { enabled: false },
        antispoof: { enabled: true, skipFrames: 0, skipTime: 0 }, liveness: { enabled: true, skipFrames: 0, skipTime: 0 },
      },
      body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, segmentation: { enabled: false },
    });
    await human.load();
    return new HumanBaseline(human, tf);
  }

  /** Largest face of an image, or null. */
  async largestFace(bytes: Buffer): Promise<BaselineFace | null> {
    const { data, info } = await sharp(bytes).rotate().resize({ width: 1024, height: 1024, fit: 'inside', withoutEnlargement: true })
      .removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const t = this.tf.tensor3d(new Int32Array(data), [info.height, info.width, 3], 'int32');
    try {
      const r = await this.human.detect(t);
      let best: BaselineFace | null = null;
      for (const f of r.face ?? []) {
        if (!f.embedding?.length) continue;
        const xs = (f.mesh as number[][]).map((p) => p[0]!);
        const width = Math.max(...xs) - Math.min(...xs);
        if (!best || width > best.width) best = { embedding: Array.from(f.embedding as number[]), real: f.real ?? 0, live: f.live ?? 0, width };
      }
      return best;
    } finally {
      t.dispose();
    }
  }
}
