/**
 * conv3x3Relu (src/document/ocr/conv.ts) is laid out for speed (zero-bordered planes, four outputs at a time).
 * The networks were calibrated on its earlier, plain form, so it must give that form's float32 results bit for bit:
 * the reference below is the plain definition, summing in the same order (inputs in order, each input's in-range
 * taps row by row, the running output rounded to float32 after each input).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conv3x3Relu, type Conv3x3 } from '../../src/document/ocr/conv.js';

function reference(L: Conv3x3, maps: Float32Array, h: number, w: number): Float32Array {
  const n = h * w;
  const out = new Float32Array(L.outputs * n);
  for (let o = 0; o < L.outputs; o++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let acc = L.b[o]!;
        for (let i = 0; i < L.inputs; i++) {
          let s = 0;
          for (let ky = -1; ky <= 1; ky++)
            for (let kx = -1; kx <= 1; kx++) {
              const yy = y + ky;
              const xx = x + kx;
              if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
              s += L.w[(o * L.inputs + i) * 9 + (ky + 1) * 3 + (kx + 1)]! * maps[i * n + yy * w + xx]!;
            }
          acc = Math.fround(acc + s);
        }
        out[o * n + y * w + x] = Math.max(0, acc);
      }
  return out;
}

function layer(seed: number, inputs: number, outputs: number): Conv3x3 {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  return { inputs, outputs, w: Float32Array.from({ length: outputs * inputs * 9 }, next), b: Float32Array.from({ length: outputs }, () => next() * 0.1) };
}

test('conv3x3Relu equals the plain convolution bit for bit (four-output blocks, the remainder, tiny planes)', () => {
  // outputs 12 and 48 as in the networks; 6 and 3 leave a remainder after the blocks of four; 1×1 and 1-row planes.
  const shapes: [number, number, number, number][] = [
    [1, 12, 40, 37],
    [12, 6, 20, 18],
    [5, 3, 7, 1],
    [4, 48, 5, 23],
    [2, 5, 1, 1],
    [3, 4, 1, 9],
  ];
  let seed = 11;
  let nonZero = 0;
  for (const [inputs, outputs, h, w] of shapes) {
    const L = layer(seed++, inputs, outputs);
    const maps = Float32Array.from({ length: inputs * h * w }, (_, i) => Math.fround(Math.sin(i * 12.9898 + seed) * 3));
    const got = conv3x3Relu(L, maps, h, w);
    const want = reference(L, maps, h, w);
    assert.equal(got.length, want.length);
    const gotBits = new Uint32Array(got.buffer);
    const wantBits = new Uint32Array(want.buffer);
    for (let j = 0; j < want.length; j++) assert.equal(gotBits[j], wantBits[j], `${inputs}→${outputs} on ${h}×${w}: element ${j} ${got[j]} vs ${want[j]}`);
    nonZero += want.filter((v) => v > 0).length;
  }
  assert.ok(nonZero > 100, 'the layers produce non-zero outputs to compare');
});
