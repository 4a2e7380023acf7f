/**
 * Implementations of the `hawiya face-check | face-match | liveness` commands. Each reads image files,
 * runs the engine once, prints text or JSON to stdout and resolves to the process exit code
 * (0 = ok/match/live, 1 = negative result, 2 = error such as no face).
 */
import { readFile } from 'node:fs/promises';
import { VlensError } from '../server/errors.js';
import { FaceEngine, type Face, type FaceEngineOptions } from './engine.js';

export interface CliOptions {
  json?: boolean;
  /** Sink for output (tests); defaults to stdout. */
  out?: (line: string) => void;
  engine?: FaceEngine;
  engineOptions?: FaceEngineOptions;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

async function withEngine<T>(opts: CliOptions, fn: (e: FaceEngine) => Promise<T>): Promise<T> {
  const engine = opts.engine ?? (await FaceEngine.create(opts.engineOptions));
  try {
    return await fn(engine);
  } finally {
    if (!opts.engine) await engine.close();
  }
}

async function run(opts: CliOptions, body: (print: (s: string) => void) => Promise<number>): Promise<number> {
  const print = opts.out ?? ((s: string) => process.stdout.write(s + '\n'));
  try {
    return await body(print);
  } catch (err) {
    if (err instanceof VlensError) {
      if (opts.json) print(JSON.stringify({ error: { code: err.code, message: err.message } }));
      else print(`error ${err.code}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

function faceSummary(f: Face) {
  const q = f.quality;
  return {
    box: { x: Math.round(f.box.x), y: Math.round(f.box.y), width: Math.round(f.box.width), height: Math.round(f.box.height) },
    score: r3(f.score),
    attackScore: r3(f.attackScore),
    quality: {
      blur: Math.round(q.blur), meanLuma: Math.round(q.meanLuma), faceSizePx: Math.round(q.faceSizePx), ear: r3(q.ear),
      yaw: Math.round(q.yaw), pitch: Math.round(q.pitch), roll: Math.round(q.roll),
    },
    qualityReasons: f.qualityReasons,
  };
}

/** `hawiya face-check <image>`: faces, quality and attack score of one image. */
export async function faceCheckCommand(image: string, opts: CliOptions = {}): Promise<number> {
  return run(opts, async (print) => {
    const bytes = await readFile(image);
    const a = await withEngine(opts, (e) => e.analyze(bytes));
    const summary = {
      faces: a.faceCount, ok: a.status.ok, code: a.status.code ?? null, reasons: a.status.reasons,
      analysed: a.faces.map(faceSummary), ms: Math.round(a.ms),
    };
    if (opts.json) print(JSON.stringify(summary));
    else {
      print(`${image}: ${a.faceCount} face(s), ${a.status.ok ? 'usable' : `not usable (${a.status.code}: ${a.status.reasons.join(', ')})`}`);
      summary.analysed.forEach((f, i) => {
        print(`  face ${i + 1}: box ${f.box.width}x${f.box.height}@${f.box.x},${f.box.y} score ${f.score} attack ${f.attackScore}`
          + ` blur ${f.quality.blur} luma ${f.quality.meanLuma} EAR ${f.quality.ear} yaw/pitch/roll ${f.quality.yaw}/${f.quality.pitch}/${f.quality.roll}`
          + (f.qualityReasons.length ? ` [${f.qualityReasons.join(', ')}]` : ''));
      });
    }
    return a.status.ok ? 0 : 1;
  });
}

/** `hawiya face-match <a> <b>`: either image may be a whole ID card photo (its largest face is used). */
export async function faceMatchCommand(a: string, b: string, opts: CliOptions = {}): Promise<number> {
  return run(opts, async (print) => {
    const [ba, bb] = await Promise.all([readFile(a), readFile(b)]);
    const m = await withEngine(opts, (e) => e.compare(ba, bb));
    const summary = { isMatched: m.isMatched, band: m.band, similarity: r3(m.similarity) };
    print(opts.json ? JSON.stringify(summary) : `${m.band} (similarity ${summary.similarity})`);
    return m.isMatched ? 0 : 1;
  });
}

/** `hawiya liveness <f1> <f2> <f3> [--id card]`: three-frame liveness, and the match with the ID portrait. */
export async function livenessCommand(frames: string[], opts: CliOptions & { id?: string } = {}): Promise<number> {
  return run(opts, async (print) => {
    const imgs = await Promise.all(frames.map((f) => readFile(f)));
    const card = opts.id ? await readFile(opts.id) : undefined;
    const r = await withEngine(opts, async (e) => {
      const ref = card ? (await e.portraitEmbedding(card)).embedding : undefined;
      return e.liveness(imgs, { reference: ref });
    });
    const s = r.scores;
    const summary = {
      live: r.live, reasons: r.reasons, guidance: r.guidance, bestFrameIndex: r.bestFrameIndex,
      scores: {
        nonRigid: r3(s.nonRigid), affineResidual: r3(s.affineResidual), motion: r3(s.motion), blink: r3(s.blink), mouth: r3(s.mouth),
        appearance: r3(s.appearance), pad: r3(s.pad), padMin: r3(s.padMin), sameIdentity: r3(s.sameIdentity), gapsMs: s.gapsMs ?? null,
      },
      match: r.match ? { isMatched: r.match.isMatched, band: r.match.band, similarity: r3(r.match.similarity) } : null,
      ms: Math.round(r.ms),
    };
    if (opts.json) print(JSON.stringify(summary));
    else {
      print(`liveness: ${r.live}${r.reasons.length ? ` (${r.reasons.join(', ')})` : ''}`);
      print(`  non-rigid ${summary.scores.nonRigid}% appearance ${summary.scores.appearance} blink ${summary.scores.blink} mouth ${summary.scores.mouth} texture ${summary.scores.pad} identity ${summary.scores.sameIdentity}`);
      if (r.guidance.length) print(`  guidance: ${r.guidance.join(', ')}`);
      if (summary.match) print(`  ID match: ${summary.match.band} (similarity ${summary.match.similarity})`);
    }
    return r.live === 'live' && (!r.match || r.match.isMatched) ? 0 : 1;
  });
}
