#!/usr/bin/env -S npx tsx
/**
 * Training samples for the card mask network (src/document/card-net.ts, trained by scripts/train-card-net.py):
 * synthetic captures shrunk to the network's input, each with the card's coverage at the mask's resolution.
 *
 *   npx tsx scripts/extract-card-samples.ts --cards 300 --seed 881 --per-side 6 --out /tmp/card-samples.bin [--from 0]
 *
 * --from F starts at the generator's card F (several processes can share one seed's cards).
 *
 * Each card (seedFrom(seed, i), the generator's own draw) is rendered once and photographed --per-side times per
 * side, as the evaluation sets are (mixed levels, any background, 10 % presentation attacks), with draws of its own
 * so the captures never repeat an evaluation set's. Seeds 1 (eval) and 3 (calibration) must not be used here.
 *
 * File: "CMS1", u32 count, u32 input side, u32 mask side, then per sample the input (side × side × RGB, u8,
 * row-major, the whole photo shrunk to a square by card-net.ts shrinkPhoto) and the mask (side × side, u8: 255 × the
 * share of the cell inside the card's outline, 4 × 4 supersampled).
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import { CARD_NET_INPUT, CARD_NET_MASK, shrinkPhoto } from '../src/document/card-net.js';
import { MAX_PHOTO_SIDE } from '../src/document/engine.js';
import { decodeRgb } from '../src/document/image.js';
import { degrade, type Attack } from '../src/document/synth/degrade.js';
import { renderCard } from '../src/document/synth/render.js';
import { Rng, seedFrom } from '../src/document/synth/rng.js';
import { randomCardSpec } from '../src/document/synth/spec.js';
import { option } from './args.js';
import { ProgressBar } from './progress.js';

type Pt = { x: number; y: number };

/** Inside test for a convex or mildly concave quad: the crossing-number rule. */
function inside(q: Pt[], x: number, y: number): boolean {
  let c = false;
  for (let i = 0, j = q.length - 1; i < q.length; j = i++) {
    const a = q[i]!, b = q[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) c = !c;
  }
  return c;
}

function coverageMask(corners: ReadonlyArray<readonly [number, number]>, width: number, height: number, side: number): Uint8Array {
  const q = corners.map(([x, y]) => ({ x: (x / width) * side, y: (y / height) * side }));
  const out = new Uint8Array(side * side);
  const S = 4;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let n = 0;
      for (let sy = 0; sy < S; sy++) for (let sx = 0; sx < S; sx++) if (inside(q, x + (sx + 0.5) / S, y + (sy + 0.5) / S)) n++;
      out[y * side + x] = Math.round((255 * n) / (S * S));
    }
  return out;
}

async function main() {
  const cards = Number(option('cards', '300'));
  const from = Number(option('from', '0'));
  const seed = Number(option('seed', '881'));
  const perSide = Number(option('per-side', '6'));
  const out = option('out', '/tmp/card-samples.bin');
  if (seed === 1 || seed === 3) throw new Error('seeds 1 and 3 are the evaluation and calibration sets');
  const fd = openSync(out, 'w');
  const total = cards * 2 * perSide;
  const header = Buffer.alloc(16);
  header.write('CMS1', 0, 'latin1');
  header.writeUInt32LE(total, 4);
  header.writeUInt32LE(CARD_NET_INPUT, 8);
  header.writeUInt32LE(CARD_NET_MASK, 12);
  writeSync(fd, header);
  const bar = new ProgressBar('captures', total);
  for (let i = from; i < from + cards; i++) {
    const cardSeed = seedFrom(seed, i);
    const card = await renderCard(randomCardSpec(cardSeed));
    for (const side of ['front', 'back'] as const) {
      for (let k = 0; k < perSide; k++) {
        const rng = new Rng(seedFrom(cardSeed, side, 'card-net', k));
        const attack: Attack | null = rng.bool(0.1) ? rng.pick(['screen', 'photocopy', 'print'] as const) : null;
        const level = rng.weighted([['clean', 0.1], ['light', 0.3], ['medium', 0.35], ['heavy', 0.25]] as const);
        const d = await degrade(side === 'front' ? card.front : card.back, rng, { attack, level });
        const t = d.transform;
        // Decoded and shrunk exactly as the engine does.
        writeSync(fd, shrinkPhoto(await decodeRgb(d.image, MAX_PHOTO_SIDE)));
        writeSync(fd, coverageMask(t.corners, t.width, t.height, CARD_NET_MASK));
        bar.tick();
      }
    }
  }
  closeSync(fd);
}

if (process.argv[1]?.endsWith('extract-card-samples.ts')) void main();
