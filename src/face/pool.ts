/**
 * Worker-thread pool running FacePipeline instances, so concurrent requests use every core while the
 * main thread stays free. Size defaults to HAWIYA_FACE_WORKERS or the core count capped at 2 per pool
 * (each worker holds its own ~100 MB of model sessions). Size 0 runs the pipeline inline (debugging).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FacePipeline, type PipelineOptions } from './pipeline.js';
import { ModelIntegrityError } from './models.js';
import type { RawAnalysis } from './types.js';
import type { WorkerReply } from './worker.js';

interface Job {
  id: number;
  bytes: Buffer;
  resolve: (r: RawAnalysis) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

export function defaultPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.HAWIYA_FACE_WORKERS);
  if (Number.isInteger(n) && n >= 0) return n;
  return Math.max(1, Math.min(2, availableParallelism()));
}

export class FacePool {
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly slots: Slot[],
    private readonly inline?: FacePipeline,
    private readonly spawn?: () => Worker,
  ) {}

  static async create(size: number, options: PipelineOptions = {}): Promise<FacePool> {
    if (size <= 0) return new FacePool([], await FacePipeline.create(options));
    const url = new URL('./worker-boot.mjs', import.meta.url);
    const spawn = () => new Worker(url, { workerData: options, execArgv: [] });
    const slots: Slot[] = Array.from({ length: size }, () => ({ worker: spawn() }));
    try {
      await Promise.all(slots.map(({ worker }) => new Promise<void>((resolve, reject) => {
        const onMsg = (m: WorkerReply) => {
          if (m.id !== -1) return;
          worker.off('message', onMsg);
          worker.off('error', reject);
          if (m.ok) resolve();
          else reject(m.name === 'ModelIntegrityError' ? new ModelIntegrityError(m.error) : new Error(m.error));
        };
        worker.on('message', onMsg);
        worker.once('error', reject);
      })));
    } catch (err) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw err;
    }
    const pool = new FacePool(slots, undefined, spawn);
    for (const s of slots) pool.wire(s);
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  analyze(bytes: Buffer): Promise<RawAnalysis> {
    if (this.closed) return Promise.reject(new Error('face pool is closed'));
    if (this.inline) return this.inline.analyze(bytes);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error('face pool closed'));
    await this.inline?.close();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private wire(slot: Slot): void {
    slot.worker.unref(); // an idle pool must not keep the process alive
    slot.worker.on('message', (m: WorkerReply) => {
      const job = slot.job;
      if (!job || m.id !== job.id) return;
      slot.job = undefined;
      slot.worker.unref();
      if (m.ok && 'result' in m) job.resolve(m.result);
      else if (!m.ok) job.reject(new Error(m.error));
      this.pump();
    });
    const worker = slot.worker;
    worker.on('error', (err) => {
      slot.job?.reject(err);
      slot.job = undefined;
    });
    // A crashed worker (native abort, OOM) is replaced so the pool keeps its size.
    worker.on('exit', () => {
      if (this.closed || slot.worker !== worker) return;
      slot.job?.reject(new Error('face worker exited'));
      slot.job = undefined;
      slot.worker = this.spawn!();
      this.wire(slot);
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref(); // keep the process alive while a job is in flight
      slot.worker.postMessage({ id: job.id, bytes: job.bytes });
    }
  }
}
