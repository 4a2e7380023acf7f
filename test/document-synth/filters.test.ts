/**
 * flattenBackground (src/document/image.ts) takes its local maximum with a running-maximum filter for speed; the
 * glyph reader was tuned on the plain filter, so the result must be the plain filter's, pixel for pixel.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxMean, flattenBackground } from '../../src/document/image.js';

/** The plain definition: max over the clipped (2r+1) window along rows, then columns; box mean; divide. */
function reference(grey: Uint8Array, W: number, H: number, r: number): Uint8Array {
  const tmp = new Uint8Array(W * H);
  const bg = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let m = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(W - 1, x + r); k++) m = Math.max(m, grey[y * W + k]!);
      tmp[y * W + x] = m;
    }
  for (let x = 0; x < W; x++)
    for (let y = 0; y < H; y++) {
      let m = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(H - 1, y + r); k++) m = Math.max(m, tmp[k * W + x]!);
      bg[y * W + x] = m;
    }
  const mean = boxMean(bg, W, H, r);
  return Uint8Array.from(grey, (v, i) => Math.min(255, Math.round((255 * v) / Math.max(1, mean[i]!))));
}

test('flattenBackground equals the plain max filter + box mean, including windows wider than the image', () => {
  let seed = 5;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 9;
  for (const [W, H, r] of [[120, 40, 9], [37, 80, 15], [5, 7, 3], [30, 30, 40], [1, 9, 2], [9, 1, 0]] as const) {
    // Light paper with dark strokes and a brightness gradient, so the filter has something to do.
    const grey = Uint8Array.from({ length: W * H }, (_, i) => ((next() & 7) === 0 ? 40 : 150 + ((i % W) * 90) / W + (next() & 15)));
    const got = flattenBackground(grey, W, H, r);
    const want = reference(grey, W, H, r);
    assert.deepEqual(got, want, `${W}×${H}, r ${r}`);
    assert.ok(W * H < 10 || want.some((v, i) => v !== grey[i]), 'the flattening changes the image');
  }
});
