/**
 * Document engine evaluation (not a timed test).
 *
 *   npm run eval:document -- --data <synthetic dir> [--real <dir>] [--limit N] [--baseline-limit N]
 *   npm run eval:document -- --generate 500 --data /tmp/synth     # renders the set first (scripts/gen-synth.ts)
 *   npm run eval:document -- --data /tmp/synth --upload rn        # each capture as an SDK uploads it (see UPLOADS)
 *   npm run eval:document -- --data /tmp/synth500 --legibility bench/legibility/synth500-seed1.json
 *       # (the default) scores apart the captures a blind human review found unreadable (bench/legibility-review.ts)
 *
 * (a) synthetic: a set written by scripts/gen-synth.ts (labels.json with `items`, attacks included);
 * (b) real: shared/data/egypt-id (labels from MANIFEST.json; redacted / unreadable fields skipped), when present.
 * Side by side, a baseline: plain tesseract.js `ara` on the whole photo (PSM 3), then a regex for the 14
 * digits, which is what most public Egyptian-ID OCR projects do; its text fields are scored generously
 * (the best-matching OCR line).
 * Prints aggregates only (no field values: the real cards are personal data) and writes
 * bench/results/document.md (with --upload X: document-upload-X.md).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createWorker } from 'tesseract.js';
import { cer, compareKey, toAsciiDigits } from '../src/document/arabic.js';
import { loadOpenCV } from '../src/document/cv.js';
import { warpQuad, type Quad } from '../src/document/detect.js';
import { DocumentEngine, ID_MIN_CONFIDENCE, MAX_PHOTO_SIDE, type ScanResult } from '../src/document/engine.js';
import { readIdLineByConsensus, readIdNumber, withLineNet } from '../src/document/fields.js';
import { decodeRgb } from '../src/document/image.js';
import { BACK_BOXES, CANONICAL_H, CANONICAL_W, FRONT_BOXES } from '../src/document/layout.js';
import { isValidNationalId } from '../src/document/nid.js';
import { VlensError } from '../src/server/errors.js';
import { commandLine as args } from '../scripts/args.js';
import { ProgressBar } from '../scripts/progress.js';
import { reviewRatings } from './legibility.js';

type Side = 'front' | 'back';
interface Case {
  set: 'synthetic' | 'real';
  file: string;
  side: Side;
  attack: string | null;
  /** Synthetic only: the generator's degradation level (clean, light, medium, heavy). */
  level?: string;
  /** Synthetic only: the card's true corners in the photo, clockwise from the printed card's top-left. */
  corners?: [number, number][];
  /** Real only: a genuine card photo its author did not redact, scribble on or pixelate (MANIFEST `pii`). */
  unredacted?: boolean;
  /** Real only: the repository's output image, with its detector's boxes and labels drawn over the fields. */
  overlaid?: boolean;
  /** Expected values by spec field name; absent = not scored. */
  labels: Record<string, string>;
  /** Synthetic only: the blind reviewers' ratings of its number line (2 legible, 1 marginal, 0 unreadable), if reviewed. */
  legibility?: number[];
}

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const NOW = new Date(String(args.now ?? '2025-11-26'));
const REAL_DIR = String(args.real ?? path.resolve(ROOT, '../shared/data/egypt-id'));
const dump = args.dump ? String(args.dump) : null;
const LEGIBILITY = path.resolve(ROOT, String(args.legibility ?? 'bench/legibility/synth500-seed1.json'));

/**
 * What the Vlens SDKs do to a photo before they upload it (spec §2, "SDK client-side compression"): React Native
 * resizes to at most 800×800 and encodes JPEG at quality 80; Flutter encodes JPEG at quality 50; `rn-flutter`
 * is both at once, the harshest. `--upload <name>` scores the engine on what the server would receive.
 */
const sdkUpload = (maxSide: number | null, quality: number) => (bytes: Buffer) => {
  const upright = sharp(bytes).rotate();
  return (maxSide ? upright.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }) : upright).jpeg({ quality }).toBuffer();
};
const UPLOADS: Record<string, (bytes: Buffer) => Promise<Buffer>> = { rn: sdkUpload(800, 80), flutter: sdkUpload(null, 50), 'rn-flutter': sdkUpload(800, 50) };
const upload = args.upload ? String(args.upload) : null;
if (upload && !UPLOADS[upload]) throw new Error(`--upload: one of ${Object.keys(UPLOADS).join(', ')}`);

/** A capture's bytes as the server receives them: the file itself, or as the --upload SDK sends it. */
async function uploaded(file: string): Promise<Buffer> {
  const bytes = fs.readFileSync(file);
  return upload ? UPLOADS[upload]!(bytes) : bytes;
}
if (dump) fs.writeFileSync(dump, '');

function syntheticCases(dir: string): Case[] {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8')) as {
    items: { file: string; side: Side; attack: string | null; labels: Record<string, string | null>; degradation?: { level?: string; corners?: [number, number][] } | null }[];
  };
  // A review counts for a capture only if the file is byte for byte the one reviewed.
  const reviewed = reviewRatings(LEGIBILITY, dir);
  return doc.items.map((it) => ({
    set: 'synthetic' as const,
    file: path.join(dir, it.file),
    side: it.side,
    attack: it.attack ?? null,
    level: it.degradation?.level,
    corners: it.degradation?.corners,
    legibility: reviewed(it.file),
    labels: Object.fromEntries(
      Object.entries(it.labels)
        .filter(([k]) => !k.endsWith('_english'))
        .map(([k, v]) => [k, v ?? '']),
    ),
  }));
}

/** Real cards: MANIFEST labels mapped to spec field names. Only legible, unredacted values are scored. */
function realCases(dir: string): Case[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'MANIFEST.json'), 'utf8')) as {
    files: { file: string; pii?: string; notes?: string; labels?: Record<string, unknown> }[];
  };
  const out: Case[] = [];
  for (const f of manifest.files) {
    const L = f.labels ?? {};
    const side = L.side as Side | undefined;
    if (side !== 'front' && side !== 'back') continue;
    const redacted = new Set(Array.isArray(L.redacted) ? (L.redacted as string[]) : []);
    const labels: Record<string, string> = {};
    const put = (k: string, v: unknown, source: string) => {
      if (typeof v === 'string' && v && !redacted.has(source) && !/[?x×]/i.test(v)) labels[k] = v;
    };
    if (typeof L.nid === 'string' && /^\d{14}$/.test(L.nid)) put('idNumber', L.nid, 'nid');
    if (side === 'front') {
      put('first_name', L.first_name, 'first_name');
      put('last_names', L.last_name, 'last_name');
      const lines = Array.isArray(L.address_lines) ? (L.address_lines as string[]) : [];
      put('address_1', lines[0], 'address_lines');
      put('address_2', lines[1], 'address_lines');
      if (typeof L.serial === 'string' && /^[A-Z]{2}\d{7}$/.test(L.serial)) put('idKey', L.serial, 'serial');
      // The target is stated on the full name and the full address (as the engine returns them: the two lines
      // joined by a space), scored only where both lines are labelled.
      if (labels.first_name && labels.last_names) labels.name = `${labels.first_name} ${labels.last_names}`;
      if (labels.address_1 && labels.address_2) labels.address = `${labels.address_1} ${labels.address_2}`;
    } else {
      put('religion', L.religion, 'religion');
      put('maritalStatus', L.marital_status, 'marital_status');
      put('gender', L.gender_text, 'gender_text');
      // Printed "YYYY/MM" and "YYYY/MM/DD"; the engine returns ISO dates.
      const iso = (v: unknown, re: RegExp) => (typeof v === 'string' && re.test(v) ? v.replace(/\//g, '-') : undefined);
      put('releaseDate', iso(L.issue_date, /^\d{4}\/\d{2}$/), 'issue_date');
      put('idExpiry', iso(L.expiry_date, /^\d{4}\/\d{2}\/\d{2}$/), 'expiry_date');
    }
    // Cards with nothing scorable (e.g. name-only mock renders) still count for detection/classification.
    out.push({ set: 'real', file: path.join(dir, f.file), side, attack: null, labels, unredacted: /^real_person_unredacted/.test(f.pii ?? ''), overlaid: /drawn/i.test(f.notes ?? '') });
  }
  return out;
}

interface Outcome {
  c: Case;
  result?: ScanResult;
  error?: number;
  ms: number;
  /** Synthetic ID misses only: whether the number reads right and sure with the card warped from its true corners. */
  atTrueCorners?: boolean;
}

/**
 * Each synthetic capture whose number the engine did not return right: the number line read again with the card
 * warped from the generator's true corners (the glyph reader with the line networks' second opinion, then the
 * offset consensus). It splits the misses into outlines the engine got wrong and number lines the readers cannot
 * read at all (most of them heavy captures blurred past reading by eye).
 */
async function readAtTrueCorners(outcomes: Outcome[]): Promise<void> {
  const cv = await loadOpenCV();
  for (const o of outcomes) {
    const want = o.c.labels.idNumber;
    if (o.c.attack || !o.c.corners || !want || !isValidNationalId(want, { now: NOW }) || o.result?.data.idNumber === want) continue;
    const photo = await decodeRgb(await uploaded(o.c.file), MAX_PHOTO_SIDE);
    // The generator's corners are in the written file's pixels; an SDK upload may have been resized.
    const scale = photo.width / ((await sharp(o.c.file).metadata()).width ?? photo.width);
    const quad = o.c.corners.map(([x, y]) => ({ x: x * scale, y: y * scale })) as Quad;
    const card = warpQuad(cv, photo, quad, CANONICAL_W, CANONICAL_H);
    const box = o.c.side === 'front' ? FRONT_BOXES.idNumber : BACK_BOXES.idNumber;
    const read = await withLineNet(await readIdNumber(card, box, NOW), card, box, NOW);
    const sure = read.idNumber && read.confidence >= ID_MIN_CONFIDENCE ? read : await readIdLineByConsensus(card, box, NOW);
    o.atTrueCorners = sure?.idNumber === want;
  }
}

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function runEngine(engine: DocumentEngine, cases: Case[], label: string): Promise<Outcome[]> {
  const bar = new ProgressBar(label, cases.length);
  const out: Outcome[] = [];
  for (const c of cases) {
    const t = performance.now();
    try {
      const result = await engine.scan(await uploaded(c.file), { now: NOW });
      out.push({ c, result, ms: performance.now() - t });
    } catch (err) {
      if (!(err instanceof VlensError)) throw err;
      out.push({ c, error: err.code, ms: performance.now() - t });
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (dump) {
      // Correctness and confidences only (no values: the real set is personal data).
      const o = out[out.length - 1]!;
      const fields = Object.fromEntries(
        Object.entries(o.c.labels).map(([k, want]) => [k, { ok: compareKey(o.result?.data[k] ?? '') === compareKey(want), conf: o.result?.fields[k]?.confidence ?? null, flagged: o.result?.findings.some((f) => f.field === k) ?? null }]),
      );
      fs.appendFileSync(dump, `${JSON.stringify({ set: c.set, file: path.basename(c.file), side: c.side, attack: c.attack, got: o.result?.side ?? null, error: o.error ?? null, ms: Math.round(o.ms), spoof: o.result?.spoof.scores ?? null, fake: o.result?.spoof.fake ?? null, fields })}\n`);
    }
    bar.tick(out.length);
  }
  return out;
}

/** Baseline: whole photo through tesseract `ara` (automatic layout), regex for the NID. */
async function runBaseline(cases: Case[]): Promise<Map<string, { text: string; idNumber: string | null; ms: number }>> {
  const require = createRequire(import.meta.url);
  const langPath = path.join(path.dirname(require.resolve('@tesseract.js-data/ara/package.json')), '4.0.0_best_int');
  const worker = await createWorker('ara', 1, { langPath, gzip: true, cacheMethod: 'none', errorHandler: () => undefined });
  await worker.setParameters({ debug_file: '/dev/null' }); // silence Tesseract's blank-page statistics dumps
  const bar = new ProgressBar('baseline', cases.length);
  const out = new Map<string, { text: string; idNumber: string | null; ms: number }>();
  for (const c of cases) {
    const t = performance.now();
    const { data } = await worker.recognize(fs.readFileSync(c.file));
    const text = data.text ?? '';
    const digits = toAsciiDigits(text).replace(/[^\d\n]/g, '');
    out.set(c.file, { text, idNumber: /\d{14}/.exec(digits)?.[0] ?? null, ms: performance.now() - t });
    bar.tick(out.size);
  }
  await worker.terminate();
  return out;
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '–');
const quantile = (xs: number[], q: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function fieldTable(outcomes: Outcome[], baseline: Map<string, { text: string; idNumber: string | null }> | null): string[] {
  const rows: string[] = ['| field | n | exact | CER | confident-wrong | baseline exact | baseline CER |', '|---|---|---|---|---|---|---|'];
  const fields = [...new Set(outcomes.flatMap((o) => Object.keys(o.c.labels)))];
  for (const field of fields) {
    let n = 0;
    let exact = 0;
    let cerSum = 0;
    let confWrong = 0;
    let bN = 0;
    let bExact = 0;
    let bCer = 0;
    for (const o of outcomes) {
      const want = o.c.labels[field];
      if (want === undefined || o.c.attack) continue;
      if (field === 'idNumber' && !isValidNationalId(want, { now: NOW })) continue;
      n++;
      const got = o.result?.data[field] ?? '';
      const ok = compareKey(got ?? '') === compareKey(want);
      if (ok) exact++;
      cerSum += want ? Math.min(1, cer(got ?? '', want, { normalize: true })) : got ? 1 : 0;
      const flagged = o.result?.findings.some((f) => f.field === field) ?? true;
      if (o.result && !ok && got && !flagged) confWrong++;
      const b = baseline?.get(o.c.file);
      if (b) {
        bN++;
        if (field === 'idNumber') {
          if (b.idNumber === want) bExact++;
          bCer += b.idNumber ? Math.min(1, cer(b.idNumber, want)) : 1;
        } else {
          const lines = b.text.split('\n').map((l) => l.trim()).filter(Boolean);
          const best = want ? Math.min(1, ...lines.map((l) => cer(l, want, { normalize: true }))) : 0;
          if (best === 0) bExact++;
          bCer += best;
        }
      }
    }
    if (!n) continue;
    rows.push(`| ${field} | ${n} | ${pct(exact, n)} | ${(cerSum / n).toFixed(3)} | ${pct(confWrong, n)} | ${bN ? pct(bExact, bN) : '–'} | ${bN ? (bCer / bN).toFixed(3) : '–'} |`);
  }
  return rows;
}

function summary(name: string, outcomes: Outcome[], baseline: Map<string, { text: string; idNumber: string | null; ms: number }> | null): string[] {
  const genuine = outcomes.filter((o) => !o.c.attack);
  const lines: string[] = [`### ${name}`, ''];
  const sideOk = genuine.filter((o) => o.result?.side === o.c.side).length;
  const errors = new Map<number, number>();
  for (const o of genuine) if (o.error) errors.set(o.error, (errors.get(o.error) ?? 0) + 1);
  lines.push(`- captures: ${outcomes.length} (${genuine.length} genuine, ${outcomes.length - genuine.length} attacks)`);
  lines.push(`- classification (side correct, genuine): ${pct(sideOk, genuine.length)}; rejected: ${[...errors].map(([c, n]) => `${c}×${n}`).join(', ') || 'none'}`);
  // A labelled number that fails the ID's own checks (the toy forms in the real set are made that way) cannot be
  // returned as valid: the right answer is a 3001 flag, so those cards are scored apart.
  const withId = genuine.filter((o) => o.c.labels.idNumber && isValidNationalId(o.c.labels.idNumber, { now: NOW }));
  const invalidById = genuine.filter((o) => o.c.labels.idNumber && !isValidNationalId(o.c.labels.idNumber, { now: NOW }));
  const idExact = withId.filter((o) => o.result?.data.idNumber === o.c.labels.idNumber).length;
  const idConfWrong = withId.filter((o) => o.result?.data.idNumber && o.result.data.idNumber !== o.c.labels.idNumber && !o.result.findings.some((f) => f.field === 'idNumber')).length;
  const idFlaggedRight = withId.filter((o) => o.result?.data.idNumber === o.c.labels.idNumber && o.result?.findings.some((f) => f.field === 'idNumber')).length;
  // Synthetic captures carry their degradation level: the rate per level shows where reading breaks down.
  const levels = [...new Set(withId.map((o) => o.c.level).filter((l): l is string => !!l))];
  const byLevel = levels.map((l) => {
    const of = withId.filter((o) => o.c.level === l);
    return `${l} ${pct(of.filter((o) => o.result?.data.idNumber === o.c.labels.idNumber).length, of.length)} (n=${of.length})`;
  });
  lines.push(`- **ID number exact: ${pct(idExact, withId.length)}** (${idExact}/${withId.length} cards whose labelled number is a valid national ID); confident-wrong IDs: ${idConfWrong}; correct but flagged unsure: ${idFlaggedRight}`);
  if (byLevel.length) lines.push(`- ID number exact by degradation level: ${byLevel.join(', ')}`);
  // Where the rest went: an unreadable capture should be refused or flagged (the app asks for a recapture), never
  // answered wrong with confidence.
  const outcome = (o: Outcome) => {
    if (!o.result) return 'refused (error)';
    const id = o.result.data.idNumber;
    const flagged = o.result.findings.some((f) => f.field === 'idNumber');
    if (id === o.c.labels.idNumber) return flagged ? 'right, flagged' : 'right, trusted';
    if (!id || !/^\d{14}$/.test(id)) return 'no valid number (flagged)';
    return flagged ? 'wrong, flagged' : 'WRONG, trusted';
  };
  const counts = new Map<string, number>();
  for (const o of withId) counts.set(outcome(o), (counts.get(outcome(o)) ?? 0) + 1);
  // Failure to acquire (ISO/IEC 19795-1 reports it apart from the error rates): captures refused for a retake
  // (5006, too blurred or small). The rate on the captures read is what an app sees once the retake is taken.
  const refused = withId.filter((o) => o.error === 5006);
  const notRefused = withId.filter((o) => o.error !== 5006);
  const notRefusedExact = notRefused.filter((o) => o.result?.data.idNumber === o.c.labels.idNumber).length;
  lines.push(`- refused for a retake (5006, failure to acquire): ${pct(refused.length, withId.length)} (${refused.length}/${withId.length}); ID number exact on the captures not refused: ${pct(notRefusedExact, notRefused.length)} (${notRefusedExact}/${notRefused.length})`);
  // The blind review (bench/legibility-review.ts): a number line no reviewer could read is past any reader; the
  // engine should refuse or flag it, never answer it with confidence. The rate on the rest is the reading rate.
  const rated = withId.filter((o) => o.c.legibility);
  if (rated.length) {
    const unreadableLine = (o: Outcome) => o.c.legibility?.every((r) => r === 0) ?? false;
    const unreadable = withId.filter(unreadableLine);
    const readable = withId.filter((o) => !unreadableLine(o));
    const readableExact = readable.filter((o) => o.result?.data.idNumber === o.c.labels.idNumber).length;
    const u = new Map<string, number>();
    for (const o of unreadable) u.set(outcome(o), (u.get(outcome(o)) ?? 0) + 1);
    const reviewers = rated[0]!.c.legibility!.length;
    lines.push(`- blind legibility review (${path.relative(ROOT, LEGIBILITY)}, ${reviewers} reviewer${reviewers > 1 ? 's' : ''}): ${rated.length} number lines of this set reviewed, ${unreadable.length} unreadable to every reviewer; the engine on those: ${[...u].map(([k, n]) => `${k} ${n}`).join(' · ') || 'none'}`);
    lines.push(`- **ID number exact on the captures the reviewers could read: ${pct(readableExact, readable.length)}** (${readableExact}/${readable.length}: every genuine capture but those unreadable to every reviewer; captures not reviewed count as readable)`);
  }
  lines.push(`- ID number outcome: ${['right, trusted', 'right, flagged', 'wrong, flagged', 'no valid number (flagged)', 'refused (error)', 'WRONG, trusted'].map((k) => `${k} ${counts.get(k) ?? 0}`).join(' · ')}`);
  const checked = withId.filter((o) => o.atTrueCorners !== undefined);
  if (checked.length) {
    const missesBy = (read: boolean) => {
      const of = checked.filter((o) => o.atTrueCorners === read);
      const perLevel = [...new Set(of.map((o) => o.c.level ?? '?'))].map((l) => `${l} ${of.filter((o) => (o.c.level ?? '?') === l).length}`);
      return `${of.length}${of.length ? ` (${perLevel.join(', ')})` : ''}`;
    };
    lines.push(`- ID misses read again at the generator's true corners: read right and sure ${missesBy(true)} (the outline or the side was the miss) · still not read ${missesBy(false)} (the number line is past the readers)`);
  }
  if (invalidById.length) {
    const flagged = invalidById.filter((o) => !o.result || o.result.findings.some((f) => f.field === 'idNumber')).length;
    lines.push(`- printed numbers that are not valid national IDs (toy forms): flagged or rejected ${flagged}/${invalidById.length}`);
  }
  if (baseline) {
    const bIds = withId.filter((o) => baseline.has(o.c.file));
    const bExact = bIds.filter((o) => baseline.get(o.c.file)!.idNumber === o.c.labels.idNumber).length;
    lines.push(`- baseline (whole-card tesseract + regex) ID exact: ${pct(bExact, bIds.length)} (${bExact}/${bIds.length})`);
  }
  for (const side of ['front', 'back'] as const) {
    const read = genuine.filter((o) => o.c.side === side && o.result);
    const ms = read.map((o) => o.ms);
    if (ms.length) lines.push(`- latency ${side}: p50 ${quantile(ms, 0.5).toFixed(0)} ms, p95 ${quantile(ms, 0.95).toFixed(0)} ms (n=${ms.length})`);
    // Where the time goes (the engine's own timings): the candidate loop ("classify") sets the tail.
    const timed = read.map((o) => o.result!.timingsMs);
    const stages = ['decode', 'detect', 'classify', 'read', 'spoof', 'encode'].filter((k) => timed.some((t) => k in t));
    if (timed.length) lines.push(`- latency ${side} by stage, p50 / p95 ms: ${stages.map((k) => `${k} ${quantile(timed.map((t) => t[k] ?? 0), 0.5).toFixed(0)} / ${quantile(timed.map((t) => t[k] ?? 0), 0.95).toFixed(0)}`).join(', ')}`);
  }
  const attacks = [...new Set(outcomes.map((o) => o.c.attack).filter((a): a is string => !!a))];
  // Genuine captures flagged fake are reported on every set (real card photos included), attacks where there are any.
  const bona = genuine.filter((o) => o.result);
  const bpcer = bona.filter((o) => o.result!.spoof.fake).length;
  if (bona.length) lines.push(`- spoof BPCER (genuine flagged fake): ${pct(bpcer, bona.length)} (${bpcer}/${bona.length})`);
  if (attacks.length) {
    for (const a of attacks) {
      const att = outcomes.filter((o) => o.c.attack === a);
      // An attack that the engine rejects outright (no card / not an ID / unreadable) is not accepted either.
      const accepted = att.filter((o) => o.result && !o.result.spoof.fake).length;
      lines.push(`- spoof APCER ${a}: ${pct(accepted, att.length)} (${accepted}/${att.length} accepted as genuine)`);
    }
  }
  lines.push('', ...fieldTable(outcomes, baseline), '');
  return lines;
}

async function main() {
  const dataDir = args.data ? path.resolve(String(args.data)) : null;
  if (args.generate && dataDir && !fs.existsSync(path.join(dataDir, 'labels.json'))) {
    const { generateSet } = await import('../scripts/gen-synth.js');
    await generateSet({ n: Number(args.generate), seed: 1, out: dataDir, sides: ['front', 'back'], attacks: true, attackRate: 0.15, level: 'mixed', clean: false, concurrency: 1, progress: true });
  }
  const limit = args.limit ? Number(args.limit) : Infinity;
  const baselineLimit = args['baseline-limit'] ? Number(args['baseline-limit']) : 100;
  const t0 = performance.now();
  const engine = await DocumentEngine.create({ textWorkers: Number(args.workers ?? 1) });
  const coldMs = performance.now() - t0;
  const report: string[] = ['# Document engine evaluation', '', `Command: \`npm run eval:document -- ${process.argv.slice(2).join(' ')}\``, `Date: ${new Date().toISOString()}; engine start ${coldMs.toFixed(0)} ms; machine: ${process.arch}, ${(await import('node:os')).cpus().length} CPUs`, ''];
  if (dataDir && fs.existsSync(path.join(dataDir, 'labels.json'))) {
    const cases = syntheticCases(dataDir).slice(0, limit);
    const outcomes = await runEngine(engine, cases, 'synthetic');
    await readAtTrueCorners(outcomes);
    const base = await runBaseline(cases.filter((c) => !c.attack).slice(0, baselineLimit));
    report.push(...summary(`Synthetic (${dataDir})`, outcomes, base));
  }
  if (!args['no-real'] && fs.existsSync(path.join(REAL_DIR, 'MANIFEST.json'))) {
    const cases = realCases(REAL_DIR);
    const outcomes = await runEngine(engine, cases, 'real');
    const base = await runBaseline(cases);
    report.push(...summary(`Real cards (${path.basename(REAL_DIR)}, all ${cases.length} labelled images incl. mocks/redacted)`, outcomes, base));
    // The issue's targets are about legible real cards: the unredacted photos of genuine cards, on their own.
    const legible = outcomes.filter((o) => o.c.unredacted);
    report.push(...summary(`Real cards, unredacted genuine photos only (${legible.length} images; some carry drawn YOLO boxes)`, legible, base));
    // Boxes and labels drawn over the name lines hide parts of the letters: the same set without those images.
    const clear = legible.filter((o) => !o.c.overlaid);
    report.push(...summary(`Real cards, unredacted genuine photos without drawn boxes (${clear.length} images)`, clear, base));
  }
  await engine.close();
  clearInterval(rssTimer);
  report.push(`Peak RSS of the eval process (engine + baseline worker): ${(peakRss / 1e6).toFixed(0)} MB`, '');
  const md = report.join('\n');
  console.log(`\n${md}`);
  // `--out <file>` keeps exploratory runs away from the committed results table.
  const outFile = args.out ? path.resolve(String(args.out)) : path.join(ROOT, `bench/results/document${upload ? `-upload-${upload}` : ''}.md`);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, md);
  console.log(`written to ${path.relative(ROOT, outFile)}`);
}

await main();
