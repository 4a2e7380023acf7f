/**
 * Training material from a generated set (scripts/gen-synth.ts): each genuine capture warped to the canonical
 * card with its true corners, and with `jitter` copies whose corners are moved by up to 1.5 % of the card's
 * diagonal, as the outline finder leaves them. Shared by the glyph and line trainers' sample extractors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadOpenCV } from '../src/document/cv.js';
import { warpQuad, type Quad } from '../src/document/detect.js';
import { decodeRgb, type RawImage } from '../src/document/image.js';
import { CANONICAL_H, CANONICAL_W } from '../src/document/layout.js';
import type { Rng } from '../src/document/synth/rng.js';
import { option } from './args.js';

/** The generated set the extractor reads (`--data`, required). */
export function dataDirArg(): string {
  const dir = option('data', '');
  if (!dir) throw new Error('--data <generated set> is required');
  return dir;
}

export interface TrainingItem {
  file: string;
  side: 'front' | 'back';
  card: number;
  attack: string | null;
  printed: Record<string, string>;
  degradation: { width: number; corners: [number, number][] };
}

/** The set's genuine captures (attacks are left out). */
export function genuineItems(dataDir: string): TrainingItem[] {
  const doc = JSON.parse(fs.readFileSync(path.join(dataDir, 'labels.json'), 'utf8')) as { items: TrainingItem[] };
  return doc.items.filter((it) => !it.attack);
}

/** The capture's canonical cards: true corners first, then `jitter` jittered copies (random draws from `rng`). */
export async function warpedCards(dataDir: string, it: TrainingItem, jitter: number, rng: Rng): Promise<RawImage[]> {
  const cv = await loadOpenCV();
  const photo = await decodeRgb(fs.readFileSync(path.join(dataDir, it.file)), 2000);
  const sx = photo.width / it.degradation.width;
  const truth = it.degradation.corners.map(([x, y]) => ({ x: x * sx, y: y * sx })) as Quad;
  const diag = Math.hypot(truth[2].x - truth[0].x, truth[2].y - truth[0].y);
  const quads = [truth];
  for (let j = 0; j < jitter; j++) quads.push(truth.map((p) => ({ x: p.x + rng.uniform(-1, 1) * 0.015 * diag, y: p.y + rng.uniform(-1, 1) * 0.015 * diag })) as Quad);
  return quads.map((quad) => warpQuad(cv, photo, quad, CANONICAL_W, CANONICAL_H));
}
