/**
 * Trains a glyph network (src/document/ocr/digit-net.ts) on glyphs cut from generated phone captures and
 * writes its weights: `--alphabet eastern` (default) → src/document/ocr/digit-net.json (ID number and dates),
 * `--alphabet latin` → src/document/ocr/latin-net.json (the serial, idKey).
 *
 *   npx tsx scripts/gen-synth.ts --n 1200 --seed 777 --out /tmp/digit-train     (a set disjoint from the eval's seed 1)
 *   npx tsx scripts/train-digit-net.ts --data /tmp/digit-train [--alphabet eastern|latin] [--epochs 14] [--lr 0.002] [--hidden 128] [--jitter 1] [--extract-only]
 *
 * This script trains the fully connected network in TypeScript. The shipped Eastern network is the
 * convolutional one of scripts/train-digit-cnn.py, trained on the samples this script extracts (--extract-only).
 *
 * Each genuine capture is warped with its true corners (plus `--jitter` copies with corners moved by up to
 * 1.5 % of the card, as a detector would leave them), its number lines (ID number, dates) are segmented exactly
 * as the reader does, and when the glyph count matches the printed text each glyph becomes a labelled sample.
 * Deterministic for a given set and options. Prints validation accuracy per epoch (10 % of the cards held out).
 */
import fs from 'node:fs';
import path from 'node:path';
import { toAsciiDigits } from '../src/document/arabic.js';
import { BACK_EXPIRY_DATE_BOX, pixelBox } from '../src/document/fields.js';
import { crop } from '../src/document/image.js';
import { BACK_BOXES, FRONT_BOXES, type Box } from '../src/document/layout.js';
import { NET_PATHS, PATCH_FEATURE_LEN, forwardLayers, serializeDigitNet, softmax, type Alphabet, type DigitNet } from '../src/document/ocr/digit-net.js';
import { DIGIT_LABELS, LATIN_LABELS, segmentAtReadingScale, type SegmentOptions } from '../src/document/ocr/digits.js';
import { Rng } from '../src/document/synth/rng.js';
import { ProgressBar } from './progress.js';
import { flag, option } from './args.js';
import { dataDirArg, genuineItems, warpedCards } from './training-cards.js';

const dataDir = dataDirArg();
const EPOCHS = Number(option('epochs', '14'));
const HIDDEN = Number(option('hidden', '128'));
const JITTER = Number(option('jitter', '1'));
const LR = Number(option('lr', '0.002'));
const ALPHABET = option('alphabet', 'eastern') as Alphabet;
if (!(ALPHABET in NET_PATHS)) throw new Error('--alphabet eastern|latin');
const LABELS = ALPHABET === 'eastern' ? DIGIT_LABELS : LATIN_LABELS;
const cacheFile = option('cache', path.join(dataDir, `${ALPHABET}-samples.bin`));

interface LineSpec {
  box: Box;
  opts: SegmentOptions;
  text: string;
}

/** The number lines of one side with their printed text (ASCII digits and '/'), segmented like fields.ts reads them. */
function lines(side: 'front' | 'back', printed: Record<string, string>): LineSpec[] {
  const date = (n: number): SegmentOptions => ({ maxGap: 1.2, expectGlyphs: n, deepenFaintInk: true });
  const ascii = (s: string | undefined) => toAsciiDigits(s ?? '').replace(/[^\d/]/g, '');
  // The serial is read like readIdKey does: Latin templates, default segmentation.
  if (ALPHABET === 'latin') return side === 'front' ? [{ box: FRONT_BOXES.idKey, opts: {}, text: (printed.idKey ?? '').replace(/[^A-Z0-9]/g, '') }] : [];
  if (side === 'front')
    return [
      { box: FRONT_BOXES.idNumber, opts: { expectGlyphs: 14, deepenFaintInk: true }, text: ascii(printed.idNumber) },
      { box: FRONT_BOXES.dateOfBirth, opts: date(10), text: ascii(printed.dateOfBirth) },
    ];
  return [
    { box: BACK_BOXES.idNumber, opts: { expectGlyphs: 14, deepenFaintInk: true }, text: ascii(printed.idNumber) },
    { box: BACK_BOXES.releaseDate, opts: date(7), text: ascii(printed.releaseDate) },
    { box: BACK_EXPIRY_DATE_BOX, opts: date(10), text: ascii(printed.expiry) },
  ];
}

interface Samples {
  x: Float32Array;
  y: Uint8Array;
  val: Uint8Array;
  n: number;
}

async function extract(): Promise<Samples> {
  if (fs.existsSync(cacheFile)) {
    const b = fs.readFileSync(cacheFile);
    const n = b.readUInt32LE(0);
    const x = new Float32Array(b.buffer.slice(b.byteOffset + 4, b.byteOffset + 4 + n * PATCH_FEATURE_LEN * 4));
    const y = new Uint8Array(b.subarray(4 + n * PATCH_FEATURE_LEN * 4, 4 + n * PATCH_FEATURE_LEN * 4 + n));
    const val = new Uint8Array(b.subarray(4 + n * PATCH_FEATURE_LEN * 4 + n));
    console.log(`${n} samples from ${cacheFile}`);
    return { x, y, val, n };
  }
  const items = genuineItems(dataDir);
  const rng = new Rng(20261201);
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  const vals: number[] = [];
  let linesTried = 0;
  let linesKept = 0;
  const bar = new ProgressBar('extract', items.length);
  for (const [k, it] of items.entries()) {
    for (const card of await warpedCards(dataDir, it, JITTER, rng)) {
      for (const line of lines(it.side, it.printed)) {
        if (!line.text) continue;
        linesTried++;
        const { segs } = await segmentAtReadingScale(crop(card, pixelBox(line.box, card)), line.opts);
        if (segs.length !== line.text.length) continue;
        linesKept++;
        segs.forEach((s, i) => {
          xs.push(s.patch());
          ys.push(LABELS.indexOf(line.text[i]!));
          vals.push(it.card % 10 === 0 ? 1 : 0);
        });
      }
    }
    if (k % 20 === 0 || k === items.length - 1) bar.tick(k + 1, `${xs.length} glyphs, ${linesKept}/${linesTried} lines segmented`);
  }
  const n = xs.length;
  const x = new Float32Array(n * PATCH_FEATURE_LEN);
  xs.forEach((f, i) => x.set(f, i * PATCH_FEATURE_LEN));
  const out = { x, y: Uint8Array.from(ys), val: Uint8Array.from(vals), n };
  const head = Buffer.alloc(4);
  head.writeUInt32LE(n);
  fs.writeFileSync(cacheFile, Buffer.concat([head, Buffer.from(x.buffer), Buffer.from(out.y), Buffer.from(out.val)]));
  return out;
}

function initNet(data: Samples, rng: Rng): DigitNet {
  const D = PATCH_FEATURE_LEN;
  const mean = new Float32Array(D);
  const sq = new Float32Array(D);
  for (let i = 0; i < data.n; i++)
    for (let d = 0; d < D; d++) {
      const v = data.x[i * D + d]!;
      mean[d]! += v;
      sq[d]! += v * v;
    }
  const scale = new Float32Array(D);
  for (let d = 0; d < D; d++) {
    mean[d]! /= data.n;
    scale[d] = 1 / Math.sqrt(Math.max(0, sq[d]! / data.n - mean[d]! ** 2) + 0.01);
  }
  const dense = (inputs: number, outputs: number) => {
    const w = new Float32Array(inputs * outputs);
    const s = Math.sqrt(2 / inputs);
    for (let i = 0; i < w.length; i++) w[i] = rng.normal() * s;
    return { inputs, outputs, w, b: new Float32Array(outputs) };
  };
  return { labels: LABELS, mean, scale, layers: [dense(D, HIDDEN), dense(HIDDEN, LABELS.length)] };
}

/** Plain SGD with momentum and weight decay on softmax cross-entropy, one sample at a time. */
function train(net: DigitNet, data: Samples, rng: Rng) {
  const D = PATCH_FEATURE_LEN;
  const trainIdx = [...Array(data.n).keys()].filter((i) => !data.val[i]);
  const valIdx = [...Array(data.n).keys()].filter((i) => data.val[i]);
  const vel = net.layers.map((L) => ({ w: new Float32Array(L.w.length), b: new Float32Array(L.b.length) }));
  const momentum = 0.9;
  const decay = 1e-5;
  const evaluate = () => {
    let ok = 0;
    for (const i of valIdx) {
      const logits = forwardLayers(net, data.x.subarray(i * D, (i + 1) * D)).at(-1)!;
      if (logits.indexOf(Math.max(...logits)) === data.y[i]) ok++;
    }
    return ok / Math.max(1, valIdx.length);
  };
  console.log(`train ${trainIdx.length} glyphs, validate ${valIdx.length}; start val acc ${(100 * evaluate()).toFixed(2)}%`);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const lr = LR * 0.5 * (1 + Math.cos((Math.PI * epoch) / EPOCHS));
    for (let i = trainIdx.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform(0, i + 1));
      [trainIdx[i], trainIdx[j]] = [trainIdx[j]!, trainIdx[i]!];
    }
    let loss = 0;
    const bar = new ProgressBar(`epoch ${epoch + 1}`, trainIdx.length);
    for (const [k, idx] of trainIdx.entries()) {
      const acts = forwardLayers(net, data.x.subarray(idx * D, (idx + 1) * D));
      const p = softmax(acts.at(-1)!);
      loss -= Math.log(Math.max(1e-9, p[data.y[idx]!]!));
      // dL/dlogits = p - onehot; back through the layers (ReLU on hidden activations).
      let grad = p.slice();
      grad[data.y[idx]!]! -= 1;
      for (let l = net.layers.length - 1; l >= 0; l--) {
        const L = net.layers[l]!;
        const input = acts[l]!;
        const back = new Float32Array(L.inputs);
        const v = vel[l]!;
        for (let o = 0; o < L.outputs; o++) {
          const g = grad[o]!;
          if (g === 0) continue;
          const row = o * L.inputs;
          for (let i = 0; i < L.inputs; i++) {
            back[i]! += g * L.w[row + i]!;
            v.w[row + i] = momentum * v.w[row + i]! - lr * (g * input[i]! + decay * L.w[row + i]!);
            L.w[row + i]! += v.w[row + i]!;
          }
          v.b[o] = momentum * v.b[o]! - lr * g;
          L.b[o]! += v.b[o]!;
        }
        if (l > 0) for (let i = 0; i < L.inputs; i++) if (input[i]! <= 0) back[i] = 0;
        grad = back;
      }
      if (k % 5000 === 0) bar.tick(k, `loss ${(loss / (k + 1)).toFixed(4)}`);
    }
    bar.tick(trainIdx.length, `loss ${(loss / trainIdx.length).toFixed(4)}  val acc ${(100 * evaluate()).toFixed(2)}%`);
  }
}

const data = await extract();
const counts = LABELS.map((l, i) => `${l}:${data.y.filter((y) => y === i).length}`).join(' ');
console.log(`glyphs per label: ${counts}`);
// The shipped Eastern network is convolutional and trained by scripts/train-digit-cnn.py on these samples.
if (flag('extract-only')) {
  console.log(`samples in ${cacheFile}`);
  process.exit(0);
}
const rng = new Rng(7);
const net = initNet(data, rng);
train(net, data, rng);
fs.writeFileSync(NET_PATHS[ALPHABET], serializeDigitNet(net));
console.log(`written ${path.relative(process.cwd(), NET_PATHS[ALPHABET])}`);
