#!/usr/bin/env -S npx tsx
/**
 * Generate a labelled synthetic Egyptian-ID capture set.
 *
 *   npx tsx scripts/gen-synth.ts --n 500 --seed 1 --out /tmp/synth [--attacks] [--level medium]
 *
 * For each of --n cards (card i has seed seedFrom(seed, i)), renders the front and the back, degrades
 * each into a phone-like JPEG capture and writes <out>/<NNNNN>_<side>.jpg plus <out>/labels.json:
 *
 *   { generator, seed, n, attacks, level, created, items: [ {
 *       file, side, seed, card, degradation: {…transform: corners, homography, blur, noise, jpegQuality…},
 *       attack: null | 'screen' | 'photocopy' | 'print',
 *       labels: { …spec §7 fields of that side… }, printed: {…}, boxes: {…}, meta: {…} } ] }
 *
 * Options:
 *   --n N              number of cards (default 500)
 *   --seed S           base seed (default 1)
 *   --out DIR          output folder (created)
 *   --sides front,back which sides (default both)
 *   --attacks          render a share of the captures as presentation attacks (screen/photocopy/print)
 *   --attack-rate R    share of attack captures with --attacks (default 0.3)
 *   --level L          clean | light | medium | heavy | mixed (default mixed: 15/35/35/15 %)
 *   --clean            also write the canonical rectified card as <NNNNN>_<side>.png
 *   --concurrency C    cards in flight (default 2)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setSideCapture, type CaptureLevel } from '../src/document/synth/capture.js';
import { missingFonts } from '../src/document/synth/fonts.js';
import { renderCard } from '../src/document/synth/render.js';
import { seedFrom } from '../src/document/synth/rng.js';
import { randomCardSpec } from '../src/document/synth/spec.js';
import { commandLine } from './args.js';

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;
}

export interface GenOptions {
  n: number;
  seed: number;
  out: string;
  sides: Array<'front' | 'back'>;
  attacks: boolean;
  attackRate: number;
  level: CaptureLevel | 'mixed';
  clean: boolean;
  concurrency: number;
  progress?: boolean;
}

export async function generateSet(o: GenOptions) {
  mkdirSync(o.out, { recursive: true });
  const items: unknown[] = new Array(o.n * o.sides.length);
  const t0 = Date.now();
  let done = 0;
  const total = o.n;
  const tty = o.progress !== false && process.stderr.isTTY;
  const show = () => {
    if (o.progress === false) return;
    const el = (Date.now() - t0) / 1000;
    const rate = done / Math.max(el, 1e-3);
    const w = 30;
    const f = Math.round((done / total) * w);
    const line = `[${'#'.repeat(f)}${'.'.repeat(w - f)}] ${done}/${total} cards  ${rate.toFixed(1)}/s  ETA ${fmtTime((total - done) / rate)}`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (done === total || done % Math.max(1, Math.round(total / 20)) === 0) process.stderr.write(`${line}\n`);
  };
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= o.n) return;
      const cardSeed = seedFrom(o.seed, i);
      const spec = randomCardSpec(cardSeed);
      const card = await renderCard(spec, { sides: o.sides });
      for (let s = 0; s < o.sides.length; s++) {
        const side = o.sides[s];
        const png = side === 'front' ? card.front : card.back;
        const d = await setSideCapture(cardSeed, png, side, o);
        const attack = d.attack;
        const base = `${String(i).padStart(5, '0')}_${side}`;
        writeFileSync(join(o.out, `${base}.jpg`), d.image);
        if (o.clean) writeFileSync(join(o.out, `${base}.png`), png);
        items[i * o.sides.length + s] = {
          file: `${base}.jpg`,
          ...(o.clean ? { cleanFile: `${base}.png` } : {}),
          side,
          seed: cardSeed,
          card: i,
          degradation: d.transform,
          attack,
          labels: card.labels[side],
          printed: card.labels.printed[side],
          boxes: card.labels.boxes[side],
          meta: card.labels.meta,
        };
      }
      done++;
      show();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  if (tty) process.stderr.write('\n');
  const doc = {
    generator: 'hawiya synthetic Egyptian ID (src/document/synth)',
    seed: o.seed,
    n: o.n,
    sides: o.sides,
    attacks: o.attacks,
    attackRate: o.attacks ? o.attackRate : 0,
    level: o.level,
    canonical: { width: 1000, height: 631 },
    note: 'Synthetic cards: every name, number and face is generated; no real person. releaseDate is yyyy-mm (the card prints YYYY/MM).',
    items,
  };
  writeFileSync(join(o.out, 'labels.json'), JSON.stringify(doc, null, 1));
  return { items: items.length, seconds: (Date.now() - t0) / 1000 };
}

async function main() {
  const a = commandLine;
  if (a.help || a.h) {
    console.log('usage: npx tsx scripts/gen-synth.ts --n 500 --seed 1 --out /tmp/synth [--attacks] [--attack-rate 0.3] [--level mixed|clean|light|medium|heavy] [--sides front,back] [--clean] [--concurrency 2]');
    return;
  }
  const missing = missingFonts();
  if (missing.length) {
    console.error(`missing fonts (install the packages in .ci/apt-packages-document.txt):\n  ${missing.join('\n  ')}`);
    process.exitCode = 2;
    return;
  }
  if (!a.out || a.out === true) {
    console.error('--out DIR is required');
    process.exitCode = 2;
    return;
  }
  const o: GenOptions = {
    n: Number(a.n ?? 500),
    seed: Number(a.seed ?? 1),
    out: resolve(String(a.out)),
    sides: String(a.sides ?? 'front,back')
      .split(',')
      .filter((s): s is 'front' | 'back' => s === 'front' || s === 'back'),
    attacks: Boolean(a.attacks),
    attackRate: Number(a['attack-rate'] ?? 0.3),
    level: (String(a.level ?? 'mixed') as GenOptions['level']),
    clean: Boolean(a.clean),
    concurrency: Number(a.concurrency ?? 2),
  };
  if (!Number.isInteger(o.n) || o.n < 1) throw new Error('--n must be a positive integer');
  if (!['clean', 'light', 'medium', 'heavy', 'mixed'].includes(o.level)) throw new Error('bad --level');
  const r = await generateSet(o);
  console.log(`wrote ${r.items} images + labels.json to ${o.out} in ${r.seconds.toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('gen-synth.ts')) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
