/**
 * The outline finder's ellipse opening (morphology.ts) replaces cv.morphologyEx for speed: it must give OpenCV's
 * result pixel for pixel, kernel shape and image borders included, or the outlines (and readings) would change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOpenCV } from '../../src/document/cv.js';
import { dilateEllipse, ellipseRuns, erodeEllipse, openEllipse } from '../../src/document/morphology.js';
import { mulberry32 } from '../../src/document/synth/rng.js';

/** Binary blobs (what the outline finder opens: thresholded maps) with salt-and-pepper noise. */
function plane(seed: number, width: number, height: number): Uint8Array {
  const r = mulberry32(seed); // seeded, so a failure reproduces
  const data = new Uint8Array(width * height);
  for (let k = 0; k < 12; k++) {
    const cx = r() * width;
    const cy = r() * height;
    const rx = 2 + r() * width * 0.3;
    const ry = 2 + r() * height * 0.3;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1) data[y * width + x] = 255;
  }
  for (let i = 0; i < data.length; i++) if (r() < 0.02) data[i] = 255 - data[i]!;
  return data;
}

test('ellipseRuns matches the kernel cv.getStructuringElement(MORPH_ELLIPSE) builds', async () => {
  const cv = await loadOpenCV();
  for (const size of [1, 3, 5, 7, 9, 15, 21]) {
    const k = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(size, size));
    const runs = ellipseRuns(size);
    const c = size >> 1;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) assert.equal(k.ucharPtr(y, x)[0] !== 0, runs[y]! >= 0 && Math.abs(x - c) <= runs[y]!, `size ${size} (${x},${y})`);
    k.delete();
  }
});

test('erosion, dilation and opening by an ellipse equal cv.morphologyEx pixel for pixel', async () => {
  const cv = await loadOpenCV();
  // Widths on and off the 32-pixel word boundary, one image smaller than the kernel, one a single column.
  const cases: [number, number, number][] = [
    [160, 120, 15],
    [161, 97, 15],
    [64, 48, 5],
    [33, 200, 21],
    [10, 7, 15],
    [1, 40, 3],
    [640, 480, 15],
  ];
  let seed = 1;
  let changed = 0;
  for (const [width, height, size] of cases) {
    const data = plane(seed++, width, height);
    const src = cv.matFromArray(height, width, cv.CV_8UC1, data);
    const kernel = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(size, size));
    const ours = { erode: erodeEllipse, dilate: dilateEllipse, open: openEllipse };
    for (const [op, code] of [['erode', cv.MORPH_ERODE], ['dilate', cv.MORPH_DILATE], ['open', cv.MORPH_OPEN]] as const) {
      const dst = new cv.Mat();
      cv.morphologyEx(src, dst, code, kernel);
      const want = new Uint8Array(dst.data as Uint8Array);
      const got = ours[op]({ data, width, height }, size);
      let diff = 0;
      for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) diff++;
      assert.equal(diff, 0, `${op} ${width}×${height} size ${size}: ${diff} pixels differ`);
      if (op === 'open' && want.some((v, i) => v !== data[i])) changed++;
      dst.delete();
    }
    src.delete();
    kernel.delete();
  }
  // The comparison must be able to fail: on the larger planes the opening is not the input unchanged.
  assert.ok(changed >= 5, `the opening changed only ${changed} planes`);
});

test('a plane that is not binary is refused, not opened wrongly', () => {
  assert.throws(() => openEllipse({ data: new Uint8Array([0, 255, 128, 0]), width: 2, height: 2 }, 3), /binary/);
});
