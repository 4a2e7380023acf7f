/**
 * The grey-patch digit network (src/document/ocr/digit-net.ts) on captures the generator makes here and now:
 * it must load from the committed weights, survive a save/load round trip, and read the ID numbers of soft
 * captures at least as well as the templates alone (the reason it exists).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { NET_PATHS, PATCH_FEATURE_LEN, classifyPatch, deserializeDigitNet, fromF32, loadDigitNet, serializeDigitNet } from '../../src/document/ocr/digit-net.js';
import { loadDigitTemplates, readDigitLine } from '../../src/document/ocr/digits.js';
import { missingFonts } from '../../src/document/synth/index.js';
import { idLineCapture } from '../helpers/cards.js';

const missing = missingFonts();
const skip = missing.length > 0 && !process.env.CI ? `fonts missing: ${missing.join(', ')}` : false;

test('digit network: committed weights load and survive a save/load round trip', () => {
  const net = loadDigitNet();
  assert.ok(net, 'src/document/ocr/digit-net.json is committed');
  assert.equal(net.mean.length, PATCH_FEATURE_LEN);
  assert.deepEqual(net.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '/']);
  const again = deserializeDigitNet(serializeDigitNet(net));
  const f = Float32Array.from({ length: PATCH_FEATURE_LEN }, (_, i) => ((i * 37) % 11) / 10);
  assert.deepEqual(classifyPatch(again, f), classifyPatch(net, f));
  const p = classifyPatch(net, f);
  assert.ok(Math.abs(p.reduce((s, a) => s + a.p, 0) - 1) < 1e-5);
});

test('digit network: the TypeScript forward pass gives the probabilities PyTorch gave on held-out glyphs', () => {
  // scripts/train-digit-cnn.py stores a few held-out patches with PyTorch's output next to the weights.
  const stored = JSON.parse(fs.readFileSync(NET_PATHS.eastern, 'utf8')) as { check?: { x: string; p: number[] }[] };
  assert.ok(stored.check?.length, 'the committed network carries its PyTorch check patches');
  const net = loadDigitNet();
  for (const c of stored.check!) {
    const byLabel = new Map(classifyPatch(net, fromF32(c.x)).map((a) => [a.label, a.p]));
    net.labels.forEach((label, i) => assert.ok(Math.abs(byLabel.get(label)! - c.p[i]!) < 1e-4, `${label}: ${byLabel.get(label)} vs ${c.p[i]}`));
  }
});

test('digit network: reads the ID number of soft captures at least as well as the templates alone', { skip }, async () => {
  const net = loadDigitNet()!;
  const templates = loadDigitTemplates();
  let glyphs = 0;
  let withNet = 0;
  let templatesOnly = 0;
  for (const seed of [4101, 4102, 4103, 4104, 4105, 4106]) {
    for (const side of ['front', 'back'] as const) {
      const { want, line } = await idLineCapture(seed, side, 'medium');
      const a = await readDigitLine(line, templates, { expectGlyphs: 14, deepenFaintInk: true, net });
      const b = await readDigitLine(line, templates, { expectGlyphs: 14, deepenFaintInk: true });
      if (a.glyphs.length !== 14) continue;
      glyphs += 14;
      for (let i = 0; i < 14; i++) {
        if (a.glyphs[i]!.alternatives[0]!.label === want[i]) withNet++;
        if (b.glyphs[i]!.alternatives[0]!.label === want[i]) templatesOnly++;
      }
    }
  }
  console.log(`network ${withNet}, templates ${templatesOnly} of ${glyphs}`);
  assert.ok(glyphs >= 84, `only ${glyphs / 14} of 12 lines segmented into 14 glyphs`);
  assert.ok(withNet >= templatesOnly, `network ${withNet} vs templates ${templatesOnly} of ${glyphs}`);
  assert.ok(withNet / glyphs >= 0.9, `network read ${withNet}/${glyphs} digits`);
});
