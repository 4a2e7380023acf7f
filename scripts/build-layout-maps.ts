/**
 * Builds src/document/layout-maps.json: the mean ink map of upright card fronts and backs, which the outline
 * refinement (src/document/refine.ts) aligns photos with. The maps are averaged over many generated cards, so
 * they hold where print usually is (lines, portrait, number, barcode), not what it says.
 * Run: npx tsx scripts/build-layout-maps.ts [--n 60]   (needs the fonts of .ci/apt-packages-document.txt)
 */
import fs from 'node:fs';
import sharp from 'sharp';
import { renderCard } from '../src/document/synth/render.js';
import { randomCardSpec } from '../src/document/synth/spec.js';
import { LAYOUT_MAPS_PATH, MAP_H, MAP_W, inkMap } from '../src/document/refine.js';
import { option } from './args.js';
import { ProgressBar } from './progress.js';

const n = Number(option('n', '60'));
const W = MAP_W * 3;
const H = MAP_H * 3;
const sums = { front: new Float64Array(MAP_W * MAP_H), back: new Float64Array(MAP_W * MAP_H) };
const progress = new ProgressBar('cards', n);
for (let i = 0; i < n; i++) {
  const card = await renderCard(randomCardSpec(90_000 + i));
  for (const side of ['front', 'back'] as const) {
    const { data, info } = await sharp(card[side]).flatten({ background: '#ffffff' }).resize(W, H, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
    const grey = new Uint8Array(W * H);
    for (let p = 0, j = 0; p < W * H; p++, j += info.channels) grey[p] = Math.max(data[j]!, data[j + 1]!, data[j + 2]!);
    const m = inkMap(grey, W, H);
    for (let k = 0; k < m.length; k++) sums[side][k]! += m[k]! / n;
  }
  progress.tick(i + 1);
}
const round = (a: Float64Array) => Array.from(a, (v) => +v.toFixed(3));
fs.writeFileSync(LAYOUT_MAPS_PATH, JSON.stringify({ w: MAP_W, h: MAP_H, cards: n, front: round(sums.front), back: round(sums.back) }));
console.log(`\nwrote ${LAYOUT_MAPS_PATH}`);
