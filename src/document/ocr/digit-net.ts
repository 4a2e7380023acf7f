/**
 * A small network over grey glyph patches (digits.ts `glyphPatch`) for the Eastern digits and '/'
 * (digit-net.json, committed). It sees the grey levels that binarisation loses, which is what separates ٢ from
 * ٣ or ٦ from ٩ once a capture is blurred. The shipped one is convolutional, trained by us with Debian's PyTorch
 * (scripts/train-digit-cnn.py) on glyphs cut from generated phone captures (scripts/train-digit-net.ts
 * --extract-only), and runs here in plain TypeScript. The TypeScript trainer makes fully connected networks
 * (no `conv` stage), also for the serial's Latin alphabet (latin-net.json); that one is not shipped, because it
 * read real serials worse (see readIdKey).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { conv3x3Relu, dense, maxPool, type Conv3x3, type DenseLayer } from './conv.js';
import type { DigitAlternative, DigitLabel } from './digits.js';

/** Grey patch side (cells) and feature length (patch + 4 shape cues) of the network's input (digits.ts cuts them). */
export const PATCH = 20;
export const PATCH_FEATURE_LEN = PATCH * PATCH + 4;

export type { DenseLayer };

/** 3×3 convolution (zero padding 1) + ReLU, then 2×2 max pooling when `pool`. */
export interface ConvLayer extends Conv3x3 {
  pool: boolean;
}

export interface DigitNet {
  labels: DigitLabel[];
  /** Input standardisation (per feature). */
  mean: Float32Array;
  scale: Float32Array;
  /**
   * Optional convolutional stage over the PATCH×PATCH grey cells (the first PATCH² features). Its flattened
   * output (channel, row, column) followed by the remaining features (the shape cues) feeds the dense layers.
   */
  conv?: ConvLayer[];
  layers: DenseLayer[];
}

/** The Eastern digits and '/' (ID number, dates: shipped) and the serial's Latin capitals and digits (experiment). */
export type Alphabet = 'eastern' | 'latin';
export const NET_PATHS: Record<Alphabet, string> = {
  eastern: fileURLToPath(new URL('./digit-net.json', import.meta.url)),
  latin: fileURLToPath(new URL('./latin-net.json', import.meta.url)),
};

/**
 * Activations of every layer for one input (ReLU between layers, raw logits last). Inference takes the last;
 * training (scripts/train-digit-net.ts) backpropagates through all of them.
 */
export function forwardLayers(net: DigitNet, feature: Float32Array): Float32Array[] {
  let x: Float32Array = new Float32Array(feature.length);
  for (let i = 0; i < x.length; i++) x[i] = (feature[i]! - net.mean[i]!) * net.scale[i]!;
  if (net.conv?.length) x = convStage(net.conv, x);
  const acts = [x];
  net.layers.forEach((L, k) => acts.push(dense(L, acts[acts.length - 1]!, k < net.layers.length - 1)));
  return acts;
}

/** The convolutional stage on the patch cells, its output flattened and followed by the other features. */
function convStage(layers: ConvLayer[], x: Float32Array): Float32Array {
  let size = PATCH;
  let maps: Float32Array = x.subarray(0, PATCH * PATCH);
  for (const L of layers) {
    maps = conv3x3Relu(L, maps, size, size);
    if (L.pool) {
      maps = maxPool(maps, L.outputs, size, size, 2, 2).maps;
      size >>= 1;
    }
  }
  const rest = x.subarray(PATCH * PATCH);
  const flat = new Float32Array(maps.length + rest.length);
  flat.set(maps);
  flat.set(rest, maps.length);
  return flat;
}

export function softmax(logits: Float32Array): Float32Array {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

/** Alternatives best first with the network's probabilities. */
export function classifyPatch(net: DigitNet, feature: Float32Array): DigitAlternative[] {
  const p = softmax(forwardLayers(net, feature).at(-1)!);
  return net.labels.map((label, i) => ({ label, p: p[i]! })).sort((a, b) => b.p - a.p);
}

interface StoredNet {
  version: 1;
  labels: DigitLabel[];
  mean: string;
  scale: string;
  conv?: { inputs: number; outputs: number; w: string; b: string; pool: boolean }[];
  layers: { inputs: number; outputs: number; w: string; b: string }[];
}

const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
/** Float32 values stored as base64 (little-endian), as the network file keeps them. */
export const fromF32 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

export function serializeDigitNet(net: DigitNet): string {
  const stored: StoredNet = {
    version: 1,
    labels: net.labels,
    mean: f32(net.mean),
    scale: f32(net.scale),
    ...(net.conv ? { conv: net.conv.map((L) => ({ inputs: L.inputs, outputs: L.outputs, w: f32(L.w), b: f32(L.b), pool: L.pool })) } : {}),
    layers: net.layers.map((L) => ({ inputs: L.inputs, outputs: L.outputs, w: f32(L.w), b: f32(L.b) })),
  };
  return JSON.stringify(stored);
}

export function deserializeDigitNet(json: string): DigitNet {
  const s = JSON.parse(json) as StoredNet;
  return {
    labels: s.labels,
    mean: fromF32(s.mean),
    scale: fromF32(s.scale),
    ...(s.conv ? { conv: s.conv.map((L) => ({ inputs: L.inputs, outputs: L.outputs, w: fromF32(L.w), b: fromF32(L.b), pool: L.pool })) } : {}),
    layers: s.layers.map((L) => ({ inputs: L.inputs, outputs: L.outputs, w: fromF32(L.w), b: fromF32(L.b) })),
  };
}

let eastern: DigitNet | undefined;
/** The committed Eastern-digit network, read once. */
export function loadDigitNet(): DigitNet {
  eastern ??= deserializeDigitNet(fs.readFileSync(NET_PATHS.eastern, 'utf8'));
  return eastern;
}
