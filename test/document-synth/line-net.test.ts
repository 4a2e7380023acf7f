/**
 * The number-line networks (src/document/ocr/line-net.ts): the committed weights must compute in TypeScript what
 * PyTorch computed, and on degraded captures made here and now they must read ID numbers and dates the glyph
 * reader cannot (the reason they exist), without trusting a wrong one.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { BACK_EXPIRY_DATE_BOX, EXPIRY_RULE, RELEASE_RULE, chooseDateByNet, mergeLineNet, pixelBox, readBackDates, readDate, readIdLineByNet, readIdLineWith, type IdReading } from '../../src/document/fields.js';
import { BACK_BOXES } from '../../src/document/layout.js';
import { fromF32, loadDigitNet } from '../../src/document/ocr/digit-net.js';
import { loadDigitTemplates, readDigitLine } from '../../src/document/ocr/digits.js';
import { LINE_HEIGHT, LINE_NET_PATHS, bestPath, linePlane, lineProbabilities, loadLineNet, readLine } from '../../src/document/ocr/line-net.js';
import { crop } from '../../src/document/image.js';
import { chooseNationalId, nidCheckDigit } from '../../src/document/nid.js';
import { ID_MIN_CONFIDENCE, TEXT_MIN_CONFIDENCE } from '../../src/document/engine.js';
import { DEFAULT_TODAY, missingFonts, type CardSpec } from '../../src/document/synth/index.js';
import { idLineCapture, uprightCapture } from '../helpers/cards.js';

const missing = missingFonts();
const skip = missing.length > 0 && !process.env.CI ? `fonts missing: ${missing.join(', ')}` : false;

for (const kind of ['id', 'idHeavy', 'date'] as const) {
  test(`line network (${kind}): the ONNX graph built from the committed weights gives the probabilities PyTorch gave on held-out lines`, async () => {
    // scripts/train-line-net.py stores a few held-out line planes with PyTorch's output next to the weights.
    const stored = JSON.parse(fs.readFileSync(LINE_NET_PATHS[kind], 'utf8')) as { check?: { width: number; plane: string; probs: string }[] };
    assert.ok(stored.check?.length, 'the committed network carries its PyTorch check lines');
    const net = loadLineNet(kind);
    assert.equal(net.height, LINE_HEIGHT);
    for (const c of stored.check!) {
      const plane = new Uint8Array(Buffer.from(c.plane, 'base64'));
      assert.equal(plane.length, LINE_HEIGHT * c.width);
      const probs = await lineProbabilities(net, plane, c.width);
      const want = fromF32(c.probs);
      const classes = net.labels.length + 1;
      assert.equal(probs.length * classes, want.length);
      probs.forEach((p, t) => p.forEach((v, i) => assert.ok(Math.abs(v - want[t * classes + i]!) < 1e-4, `column ${t} class ${i}: ${v} vs ${want[t * classes + i]}`)));
      // Each column is a distribution, and the best path is made of the network's labels only.
      for (const p of probs) assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-4);
      assert.match(bestPath(net, probs), /^[0-9/]*$/);
    }
  });
}

test('line network: no number is read off a blank line or where the other side has its number', { skip }, async () => {
  const now = new Date();
  // The network never saw a blank line and may see a digit in one; no valid 14-digit number comes out of it.
  const blank = { data: new Uint8Array(600 * 76 * 3).fill(235), width: 600, height: 76, channels: 3 };
  assert.equal(await readIdLineByNet(blank, now), null);
  // A wrong side hypothesis: the engine reads the other side's number box (header text on a front, the name
  // area on a back). Nothing there may pass as a trusted number.
  for (const seed of [5301, 5302, 5303]) {
    for (const side of ['front', 'back'] as const) {
      const { line } = await idLineCapture(seed, side, 'light', side === 'front' ? 'back' : 'front');
      const read = await readIdLineByNet(line, now);
      assert.ok(!read || read.confidence < ID_MIN_CONFIDENCE, `seed ${seed} ${side}: ${read?.confidence}`);
    }
  }
});

test('line network: reads heavily degraded ID lines that the glyph reader cannot', { skip }, async () => {
  const templates = loadDigitTemplates();
  const digitNet = loadDigitNet();
  const now = new Date();
  let byLine = 0;
  let byGlyphs = 0;
  let wrong = 0;
  let n = 0;
  for (const seed of [5201, 5202, 5203, 5204, 5205, 5206, 5207, 5208]) {
    for (const side of ['front', 'back'] as const) {
      const { want, line } = await idLineCapture(seed, side, 'heavy');
      const glyphs = await readDigitLine(line, templates, { expectGlyphs: 14, deepenFaintInk: true, net: digitNet });
      const g = glyphs.glyphs.length === 14 ? chooseNationalId(glyphs.glyphs.map((x) => x.alternatives.map((a) => ({ digit: a.label, score: a.p }))), { now }) : null;
      const l = await readIdLineByNet(line, now);
      // A number comes out only where both ID networks read it.
      const each = await Promise.all((['id', 'idHeavy'] as const).map((kind) => readIdLineWith(kind, linePlane(line, kind), now)));
      if (l) assert.ok(each.every((r) => r?.text === l.idNumber), `seed ${seed} ${side}: a number only one network read`);
      if (each[0] && each[0].text === each[1]?.text) assert.equal(l?.idNumber, each[0].text);
      n++;
      if (g?.idNumber === want) byGlyphs++;
      if (l?.idNumber === want) byLine++;
      else if (l && l.confidence >= ID_MIN_CONFIDENCE) wrong++;
    }
  }
  assert.ok(byLine >= n * 0.6, `line network read ${byLine}/${n} heavy captures`);
  assert.ok(byLine > byGlyphs, `line network ${byLine}/${n} against the glyph reader's ${byGlyphs}/${n}`);
  assert.equal(wrong, 0, 'no wrong number read with confidence');
});

test("date network: reads the back's dates on degraded captures where the glyph reader cannot, and trusts no wrong one", { skip }, async (t) => {
  const now = new Date(`${DEFAULT_TODAY}T12:00:00Z`);
  const year = now.getUTCFullYear();
  let byGlyphs = 0;
  let both = 0;
  let wrongTrusted = 0;
  let n = 0;
  for (const seed of [5401, 5402, 5403, 5404, 5405, 5406, 5407, 5408]) {
    for (const level of ['medium', 'heavy'] as const) {
      const { labels, upright } = await uprightCapture(seed, 'back', level);
      const want = { release: labels.back.releaseDate.replace('-', '/'), expiry: labels.back.idExpiry.replace(/-/g, '/') };
      const dates = await readBackDates(upright, now);
      // The glyph reader alone, each line on its own (no network, no cross-check).
      const glyph = {
        release: await readDate(upright, BACK_BOXES.releaseDate, RELEASE_RULE(year)),
        expiry: await readDate(upright, BACK_EXPIRY_DATE_BOX, EXPIRY_RULE(year)),
      };
      for (const line of ['release', 'expiry'] as const) {
        n++;
        if (glyph[line].plausible && glyph[line].value === want[line]) byGlyphs++;
        if (dates[line].value === want[line]) both++;
        else if (dates[line].confidence >= TEXT_MIN_CONFIDENCE) wrongTrusted++;
      }
    }
  }
  t.diagnostic(`dates right: glyph reader ${byGlyphs}/${n}, both readers ${both}/${n}, wrong and trusted ${wrongTrusted}`);
  // Measured here: 11/32 by the glyph reader, 26/32 with the network.
  assert.ok(both >= n * 0.7, `glyph reader and date network ${both}/${n}`);
  assert.ok(both >= byGlyphs + n * 0.25, `glyph reader and date network ${both}/${n} against the glyph reader's ${byGlyphs}/${n}`);
  assert.equal(wrongTrusted, 0, 'no wrong date read with confidence');
});

test('date network: an expiry whose day runs past the first date box (a wide text font) is read from a wider box', { skip }, async (t) => {
  // In Amiri, the words before the date are wide enough to push its day past BACK_EXPIRY_DATE_BOX's right edge
  // (0.54): the network reads that box unsure or wrong, and fields.ts EXPIRY_NET_RIGHT_EDGES tries wider ones.
  const now = new Date(`${DEFAULT_TODAY}T12:00:00Z`);
  const rule = EXPIRY_RULE(now.getUTCFullYear());
  let narrow = 0;
  let right = 0;
  let wrongTrusted = 0;
  const seeds = [5501, 5502, 5503, 5504, 5505, 5506, 5507, 5508];
  for (const seed of seeds) {
    const { labels, upright } = await uprightCapture(seed, 'back', 'light', (s) => ({ ...s, style: { ...s.style, textFont: 'amiri-bold' } }));
    const want = labels.back.idExpiry.replace(/-/g, '/');
    const first = chooseDateByNet(await readLine(crop(upright, pixelBox(BACK_EXPIRY_DATE_BOX, upright)), 'date'), rule);
    if (first?.value === want && first.confidence >= TEXT_MIN_CONFIDENCE) narrow++;
    const { expiry } = await readBackDates(upright, now);
    if (expiry.value === want && expiry.confidence >= TEXT_MIN_CONFIDENCE) right++;
    else if (expiry.confidence >= TEXT_MIN_CONFIDENCE) wrongTrusted++;
  }
  t.diagnostic(`expiry right and sure: first box alone ${narrow}/${seeds.length}, engine ${right}/${seeds.length}`);
  // Measured here: 0 of 8 from the first box, 7 of 8 through readBackDates (the other flagged).
  assert.ok(narrow <= 2, `the first box alone read ${narrow} of ${seeds.length}: the case this test is for is gone`);
  assert.ok(right >= 6, `expiry read right and sure on ${right} of ${seeds.length}`);
  assert.equal(wrongTrusted, 0);
});

test('dates: an issue date and an expiry that are not seven years apart are both read but neither is trusted', { skip }, async () => {
  const now = new Date(`${DEFAULT_TODAY}T12:00:00Z`);
  for (const seed of [5511, 5512]) {
    // The printed expiry one year early: whichever date a reader got wrong, the pair cannot both be right.
    const early = (s: CardSpec): CardSpec => ({ ...s, expiryDate: `${+s.expiryDate.slice(0, 4) - 1}${s.expiryDate.slice(4)}` });
    const { labels, upright } = await uprightCapture(seed, 'back', 'light', early);
    const dates = await readBackDates(upright, now);
    assert.equal(dates.release.value, labels.back.releaseDate.replace('-', '/'), `seed ${seed}: issue date read`);
    assert.equal(dates.expiry.value, labels.back.idExpiry.replace(/-/g, '/'), `seed ${seed}: expiry read`);
    assert.ok(dates.release.confidence < TEXT_MIN_CONFIDENCE && dates.expiry.confidence < TEXT_MIN_CONFIDENCE, `seed ${seed}: ${dates.release.confidence} / ${dates.expiry.confidence}`);
    // The same card printed as issued: both trusted.
    const fair = await uprightCapture(seed, 'back', 'light');
    const trusted = await readBackDates(fair.upright, now);
    assert.ok(trusted.release.confidence >= TEXT_MIN_CONFIDENCE && trusted.expiry.confidence >= TEXT_MIN_CONFIDENCE, `seed ${seed} as issued: ${trusted.release.confidence} / ${trusted.expiry.confidence}`);
  }
});

test('line network: a sure glyph reading that the sure network contradicts is not trusted; one it confirms or cannot read is kept', { skip }, async () => {
  const now = new Date(`${DEFAULT_TODAY}T12:00:00Z`);
  const { want, line } = await idLineCapture(5301, 'front', 'light');
  const byNet = await readIdLineByNet(line, now);
  assert.equal(byNet?.idNumber, want);
  assert.ok(byNet!.confidence >= ID_MIN_CONFIDENCE);
  // A valid number two digits away from the printed one (a serial digit and the check digit), as the glyph
  // reader once returned at 0.93 on a generated back.
  const first13 = want.slice(0, 9) + String((Number(want[9]) + 1) % 10) + want.slice(10, 13);
  const misread = first13 + String(nidCheckDigit(first13));
  const glyphs = (idNumber: string, confidence: number): IdReading => ({ line: { glyphs: [], minConfidence: 1 } as unknown as IdReading['line'], choice: null, idNumber, confidence });
  const contradicted = mergeLineNet(glyphs(misread, 0.95), byNet);
  assert.equal(contradicted.idNumber, misread);
  assert.ok(contradicted.confidence < ID_MIN_CONFIDENCE, 'two sure readers that disagree leave the number flagged');
  assert.ok(mergeLineNet(glyphs(want, 0.95), byNet).confidence >= 0.95);
  assert.equal(mergeLineNet(glyphs(misread, 0.95), null).confidence, 0.95);
  assert.deepEqual(mergeLineNet(glyphs(misread, 0.3), byNet).idNumber, want, 'an unsure glyph reading gives way to the sure network');
});
