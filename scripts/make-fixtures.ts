#!/usr/bin/env -S npx tsx
/**
 * Regenerates the committed synthetic card fixtures in test/fixtures/cards/ (see its README.md).
 *
 *   npx tsx scripts/make-fixtures.ts [--out test/fixtures/cards]
 *
 * Deterministic: the same code and fonts give the same cards (JPEG bytes may differ slightly across
 * libvips versions). Every fixture is synthetic: generated names, numbers and drawn faces only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { degrade, type DegradeOptions } from '../src/document/synth/degrade.js';
import { missingFonts } from '../src/document/synth/fonts.js';
import { renderCard, type RenderedCard } from '../src/document/synth/render.js';
import { Rng, seedFrom } from '../src/document/synth/rng.js';
import { randomCardSpec, type CardSpec } from '../src/document/synth/spec.js';
import { option } from './args.js';

const MAX_BYTES = 150 * 1024;

/** First seed ≥ start whose spec satisfies `pred` (deterministic search). */
function findSpec(start: number, pred: (s: CardSpec) => boolean): CardSpec {
  for (let s = start; s < start + 5000; s++) {
    const spec = randomCardSpec(s);
    if (pred(spec)) return spec;
  }
  throw new Error('no matching spec');
}

interface Fixture {
  file: string;
  side: 'front' | 'back';
  spec: CardSpec;
  /** null: the canonical rectified card itself (JPEG). */
  degrade: DegradeOptions | null;
  captureSeed: number;
  description: string;
}

async function encodeUnder(buf: Buffer, quality: number): Promise<{ bytes: Buffer; quality: number }> {
  let q = quality;
  for (;;) {
    const bytes = await sharp(buf).jpeg({ quality: q, chromaSubsampling: '4:2:0' }).toBuffer();
    if (bytes.length <= MAX_BYTES || q <= 40) return { bytes, quality: q };
    q -= 5;
  }
}

async function main() {
  const missing = missingFonts();
  if (missing.length) throw new Error(`missing fonts: ${missing.join(', ')} (see .ci/apt-packages-document.txt)`);
  const out = resolve(option('out', 'test/fixtures/cards'));
  mkdirSync(out, { recursive: true });

  const a = findSpec(101, (s) => s.gender === 'male' && s.jobTitle !== '' && s.expiryDate > '2026-06-01');
  const b = findSpec(202, (s) => s.gender === 'female' && s.husbandName !== null && s.expiryDate > '2026-06-01');
  const c = findSpec(303, (s) => s.expiryDate > '2026-06-01');
  const d = findSpec(404, (s) => s.gender === 'female' && s.expiryDate > '2026-06-01');
  const e = findSpec(505, (s) => s.gender === 'male' && s.expiryDate > '2026-06-01');

  const fx: Fixture[] = [
    { file: 'canonical_front.jpg', side: 'front', spec: a, degrade: null, captureSeed: 0, description: 'rectified canonical front (1000×631), default drawn portrait' },
    { file: 'canonical_back.jpg', side: 'back', spec: a, degrade: null, captureSeed: 0, description: 'rectified canonical back of the same card' },
    { file: 'front_clean.jpg', side: 'front', spec: a, degrade: { level: 'clean', rightAngle: 0, angle: -3, background: 'wood', cardScale: 0.8, perspective: 0.03, width: 1280, height: 960 }, captureSeed: 1, description: 'clean photo of the front, slight tilt, on wood' },
    { file: 'back_clean.jpg', side: 'back', spec: a, degrade: { level: 'clean', rightAngle: 0, angle: 2, background: 'desk', cardScale: 0.8, perspective: 0.03, width: 1280, height: 960 }, captureSeed: 2, description: 'clean photo of the back of the same card' },
    { file: 'front_rot90.jpg', side: 'front', spec: b, degrade: { level: 'light', rightAngle: 90, angle: 4, background: 'carpet', cardScale: 0.85, width: 960, height: 1280 }, captureSeed: 3, description: 'front rotated 90° clockwise, light degradation' },
    { file: 'back_degraded.jpg', side: 'back', spec: b, degrade: { level: 'medium', rightAngle: 180, angle: -8, background: 'fabric', glare: true, glareStrength: 80, blur: 0.9, noise: 4, jpegQuality: 60, cardScale: 0.85, width: 1280, height: 960 }, captureSeed: 4, description: 'back of the same married woman\'s card (husband line), upside down, glare, blur, noise, JPEG 60' },
    { file: 'front_degraded.jpg', side: 'front', spec: e, degrade: { level: 'medium', rightAngle: 0, angle: 12, background: 'desk', shadow: true, blur: 1.1, noise: 5, jpegQuality: 55, cardScale: 0.8, perspective: 0.05, width: 1280, height: 960 }, captureSeed: 5, description: 'front, 12° tilt, perspective, shadow, blur, noise, JPEG 55' },
    { file: 'front_screen.jpg', side: 'front', spec: c, degrade: { attack: 'screen', level: 'light', rightAngle: 0, angle: -2, cardScale: 0.85, width: 1280, height: 960 }, captureSeed: 6, description: 'ATTACK screen: photo of the front shown on a display (subpixel grid, moiré, glare)' },
    { file: 'front_photocopy.jpg', side: 'front', spec: d, degrade: { attack: 'photocopy', level: 'light', rightAngle: 0, angle: 3, cardScale: 0.8, width: 1280, height: 960 }, captureSeed: 7, description: 'ATTACK photocopy: greyscale copy of the front on paper' },
  ];

  const cards = new Map<number, RenderedCard>();
  const items: unknown[] = [];
  for (const f of fx) {
    let card = cards.get(f.spec.seed);
    if (!card) {
      card = await renderCard(f.spec);
      cards.set(f.spec.seed, card);
    }
    const png = f.side === 'front' ? card.front : card.back;
    let bytes: Buffer;
    let transform: unknown = null;
    if (f.degrade) {
      const dd = await degrade(png, new Rng(seedFrom(f.spec.seed, f.file, f.captureSeed)), f.degrade);
      transform = dd.transform;
      bytes = dd.image;
      if (bytes.length > MAX_BYTES) bytes = (await encodeUnder(dd.image, (dd.transform.jpegQuality ?? 80) - 5)).bytes;
    } else {
      bytes = (await encodeUnder(png, 90)).bytes;
    }
    writeFileSync(join(out, f.file), bytes);
    items.push({
      file: f.file,
      side: f.side,
      seed: f.spec.seed,
      description: f.description,
      attack: f.degrade?.attack ?? null,
      canonical: f.degrade === null,
      degradation: transform,
      labels: card.labels[f.side],
      printed: card.labels.printed[f.side],
      boxes: card.labels.boxes[f.side],
      meta: card.labels.meta,
    });
    console.log(`${f.file.padEnd(22)} ${String(Math.round(bytes.length / 1024)).padStart(4)} KB  ${f.description}`);
  }
  const doc = {
    generator: 'scripts/make-fixtures.ts (src/document/synth)',
    note: 'All cards are synthetic: generated names, ID numbers and drawn faces; no real person. releaseDate is yyyy-mm (the card prints YYYY/MM). Corners/homography map the canonical 1000×631 card into each capture.',
    items,
  };
  writeFileSync(join(out, 'labels.json'), JSON.stringify(doc, null, 1) + '\n');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
