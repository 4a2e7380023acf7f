/**
 * The card mask network (src/document/card-net.ts) on fresh synthetic captures of cards it was not trained on
 * (training used seed 881's cards), on the backgrounds genuine captures are generated on.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { CARD_NET_PATH, cardMask, cardNetQuad, loadCardNet } from '../../src/document/card-net.js';
import { loadOpenCV } from '../../src/document/cv.js';
import { decodeRgb } from '../../src/document/image.js';
import { fromF32 } from '../../src/document/ocr/digit-net.js';
import { degrade, missingFonts, randomCardSpec, renderCard, Rng, type BackgroundKind } from '../../src/document/synth/index.js';

const missing = missingFonts();
const skip = missing.length > 0 && !process.env.CI ? `fonts missing: ${missing.join(', ')}` : false;

test('card mask network: the ONNX graph built from the committed weights gives what PyTorch gave at training', async () => {
  const stored = JSON.parse(fs.readFileSync(CARD_NET_PATH, 'utf8')) as { check: { input: string; mask: string } };
  const want = fromF32(stored.check.mask);
  const got = await cardMask(loadCardNet(), new Uint8Array(Buffer.from(stored.check.input, 'base64')));
  assert.equal(got.length, want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  assert.ok(worst < 1e-4, `largest difference ${worst}`);
});

test('card mask network: finds the card on carpet, desk, cloth and wood backgrounds, any rotation, within a few per cent', { skip, timeout: 120_000 }, async () => {
  const cv = await loadOpenCV();
  const cases: [BackgroundKind, 0 | 90 | 180 | 270, 'front' | 'back'][] = [
    ['carpet', 0, 'front'], ['dark', 90, 'back'], ['desk', 180, 'front'], ['fabric', 270, 'back'], ['wood', 0, 'front'], ['carpet', 180, 'back'],
  ];
  for (const [i, [background, rightAngle, side]] of cases.entries()) {
    const card = await renderCard(randomCardSpec(9100 + i), { sides: [side] });
    const shot = await degrade(card[side], new Rng(9200 + i), { level: 'medium', background, rightAngle });
    const photo = await decodeRgb(shot.image, 2000);
    const quad = await cardNetQuad(cv, photo);
    assert.ok(quad, `${background} ${rightAngle}°: no outline`);
    const truth = shot.transform.corners.map(([x, y]) => ({ x, y }));
    const diag = Math.hypot(truth[0]!.x - truth[2]!.x, truth[0]!.y - truth[2]!.y);
    // Corner order may differ by a half turn (the mask has no up); each true corner's nearest found corner.
    const worst = Math.max(...truth.map((p) => Math.min(...quad.map((q) => Math.hypot(p.x - q.x, p.y - q.y)))));
    assert.ok(worst < 0.05 * diag, `${background} ${rightAngle}° ${side}: a corner ${(worst / diag * 100).toFixed(1)} % of the diagonal off`);
  }
});

test('card mask network: a photo without a card gives no outline or a small one', { timeout: 60_000 }, async () => {
  const cv = await loadOpenCV();
  // A plain grey wall with a soft gradient.
  const width = 800;
  const height = 600;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(90 + Math.round((60 * x) / width), (y * width + x) * 3, (y * width + x) * 3 + 3);
  const quad = await cardNetQuad(cv, { data, width, height, channels: 3 });
  if (quad) {
    const area = Math.abs(quad.reduce((s, p, k) => s + p.x * quad[(k + 1) % 4]!.y - quad[(k + 1) % 4]!.x * p.y, 0)) / 2;
    assert.ok(area < 0.2 * width * height, `a card-sized outline on a blank wall (${((area / (width * height)) * 100).toFixed(0)} %)`);
  }
});
