/**
 * A light card on a background of its own colour shows only some of its edges. The outline finder builds
 * outlines from two sides meeting at a corner and the card's aspect (detect.ts cornerQuads); the engine's
 * layout alignment and number check then read the card. The scene is composed here: a generated card on a
 * plain background of the colour of the card's own border, with a shadow along two adjacent sides only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { loadOpenCV } from '../../src/document/cv.js';
import { findCards, type Point } from '../../src/document/detect.js';
import { DocumentEngine, ID_MIN_CONFIDENCE } from '../../src/document/engine.js';
import { decodeRgb } from '../../src/document/image.js';
import { DEFAULT_TODAY, missingFonts, randomCardSpec, renderCard } from '../../src/document/synth/index.js';

const missing = missingFonts();
const skip = missing.length > 0 && !process.env.CI ? `fonts missing: ${missing.join(', ')}` : false;

const W = 1000;
const H = 800;
const CARD_W = 640;

async function scene(seed: number, side: 'front' | 'back') {
  const card = await renderCard(randomCardSpec(seed));
  const resized = await sharp(card[side]).resize({ width: CARD_W }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: cw, height: ch } = resized.info;
  // The background takes the mean colour of the card's outer strip, where its edge meets the background.
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      if (x > 12 && y > 12 && x < cw - 12 && y < ch - 12) continue;
      for (let c = 0; c < 3; c++) sum[c] += resized.data[(y * cw + x) * 3 + c]!;
      n++;
    }
  const bg = sum.map((s) => Math.round(s / n));
  // The top and right edges fade into the background: no edge to find there.
  const FADE = 24;
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      const d = Math.min(y, cw - 1 - x);
      if (d >= FADE) continue;
      for (let c = 0; c < 3; c++) {
        const i = (y * cw + x) * 3 + c;
        resized.data[i] = Math.round(bg[c]! + ((resized.data[i]! - bg[c]!) * d) / FADE);
      }
    }
  const left = 200;
  const top = 180;
  const shadowImg = await sharp({ create: { width: cw + 8, height: ch + 8, channels: 4, background: { r: 40, g: 40, b: 40, alpha: 0.85 } } }).png().toBuffer();
  const photo = await sharp({ create: { width: W, height: H, channels: 3, background: { r: bg[0]!, g: bg[1]!, b: bg[2]! } } })
    .composite([
      // A shadow that shows below and to the left of the card only.
      { input: shadowImg, left: left - 8, top: top },
      { input: await sharp(resized.data, { raw: { width: cw, height: ch, channels: 3 } }).png().toBuffer(), left, top },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
  const corners: Point[] = [
    { x: left, y: top },
    { x: left + cw, y: top },
    { x: left + cw, y: top + ch },
    { x: left, y: top + ch },
  ];
  return { photo, corners, labels: card.labels };
}

test('outline: a card that shows only two of its edges is found from them and the card aspect, and read', { skip, timeout: 120_000 }, async () => {
  const cv = await loadOpenCV();
  const now = new Date(`${DEFAULT_TODAY}T12:00:00Z`);
  const engine = await DocumentEngine.create({ textWorkers: 1 });
  try {
    for (const [seed, side] of [[41, 'front'], [42, 'back']] as const) {
      const { photo, corners, labels } = await scene(seed, side);
      const img = await decodeRgb(photo, 2000);
      const diag = Math.hypot(corners[2]!.x - corners[0]!.x, corners[2]!.y - corners[0]!.y);
      const off = (q: Point[]) => Math.min(...[0, 1, 2, 3].map((r) => Math.max(...q.map((p, k) => Math.hypot(p.x - corners[(k + r) % 4]!.x, p.y - corners[(k + r) % 4]!.y)))));
      const best = Math.min(...findCards(cv, img, 40).map((c) => off(c.quad) / diag));
      assert.ok(best < 0.04, `${side}: nearest outline ${(best * 100).toFixed(1)}% of the diagonal off`);
      const r = await engine.scan(photo, { now });
      assert.equal(r.side, side);
      assert.equal(r.fields.idNumber?.value, labels[side].idNumber);
      assert.ok(r.fields.idNumber!.confidence >= ID_MIN_CONFIDENCE);
    }
  } finally {
    await engine.close();
  }
});
