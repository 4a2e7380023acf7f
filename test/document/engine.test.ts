/**
 * The document engine on the committed synthetic fixtures (test/fixtures/cards, rendered by src/document/synth):
 * real images through the real pipeline (detection, orientation, OCR, checks, spoof signals).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { compareKey } from '../../src/document/arabic.js';
import { frontBackMismatch } from '../../src/document/checks.js';
import { DocumentEngine, type ScanResult } from '../../src/document/engine.js';
import { FRONT_BOXES, toPixels } from '../../src/document/layout.js';
import { crop, decodeRgb } from '../../src/document/image.js';
import { loadDigitTemplates, readDigitLine } from '../../src/document/ocr/digits.js';
import { degrade } from '../../src/document/synth/degrade.js';
import { Rng } from '../../src/document/synth/rng.js';
import { VlensError } from '../../src/server/errors.js';

const DIR = fileURLToPath(new URL('../fixtures/cards/', import.meta.url));
interface Item {
  file: string;
  side: 'front' | 'back';
  labels: Record<string, string | null>;
}
const ITEMS: Item[] = JSON.parse(fs.readFileSync(`${DIR}labels.json`, 'utf8')).items;
const item = (file: string) => ITEMS.find((i) => i.file === file)!;
const image = (file: string) => fs.readFileSync(`${DIR}${file}`);
// The fixtures were rendered for this day; fixed so expiry checks do not drift with the clock.
const NOW = new Date('2025-11-26T00:00:00Z');

function codesFor(r: ScanResult, field: string): number[] {
  return r.findings.filter((f) => f.field === field).flatMap((f) => f.errors.map((e) => e.code));
}

async function rejects(p: Promise<unknown>, codes: number[]): Promise<number> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof VlensError, `expected a VlensError, got ${String(err)}`);
    assert.ok(codes.includes(err.code), `expected one of ${codes.join('/')}, got ${err.code}`);
    return err.code;
  }
  assert.fail(`expected a rejection with ${codes.join('/')}`);
}

describe('document engine on synthetic cards', { timeout: 120_000 }, () => {
  let engine: DocumentEngine;
  let frontClean: ScanResult;
  let backClean: ScanResult;
  before(async () => {
    engine = await DocumentEngine.create();
    frontClean = await engine.scan(image('front_clean.jpg'), { now: NOW, expectedSide: 'front' });
    backClean = await engine.scan(image('back_clean.jpg'), { now: NOW, expectedSide: 'back' });
  });
  after(async () => engine?.close());

  it('reads a clean front: ID, names, derived fields, serial', () => {
    const want = item('front_clean.jpg').labels;
    assert.equal(frontClean.side, 'front');
    assert.equal(frontClean.docType, 'national_id');
    assert.equal(frontClean.data.idNumber, want.idNumber);
    assert.deepEqual(codesFor(frontClean, 'idNumber'), []);
    assert.equal(compareKey(frontClean.data.first_name ?? ''), compareKey(want.first_name ?? ''));
    assert.equal(frontClean.data.dateOfBirth, want.dateOfBirth);
    assert.equal(frontClean.data.gender, want.gender);
    assert.equal(frontClean.data.govern && compareKey(frontClean.data.govern), compareKey(want.govern ?? ''));
    assert.equal(frontClean.data.idKey, want.idKey);
    assert.ok(frontClean.fields.idNumber!.confidence >= 0.5);
    assert.ok(frontClean.portrait && frontClean.portrait.length > 1000, 'portrait crop for the face engine');
    assert.ok(frontClean.data.name_english && /^[A-Za-z' -]+$/.test(frontClean.data.name_english));
  });

  it('reads a clean back and agrees with its front (no 3101)', () => {
    const want = item('back_clean.jpg').labels;
    assert.equal(backClean.side, 'back');
    assert.equal(backClean.data.idNumber, want.idNumber);
    assert.equal(backClean.data.gender, want.gender);
    assert.equal(compareKey(backClean.data.religion ?? ''), compareKey(want.religion ?? ''));
    assert.equal(backClean.data.releaseDate, want.releaseDate);
    assert.equal(backClean.data.idExpiry, want.idExpiry);
    assert.equal(frontBackMismatch(frontClean.data.idNumber, backClean.data.idNumber), null);
    assert.equal(frontBackMismatch(frontClean.data.idNumber, '29001010112345')?.errors[0]?.code, 3101);
  });

  it('handles a card rotated by 90°', async () => {
    const r = await engine.scan(image('front_rot90.jpg'), { now: NOW });
    assert.equal(r.side, 'front');
    assert.equal(r.data.idNumber, item('front_rot90.jpg').labels.idNumber);
  });

  it('rejects a back sent to the front endpoint with 5007', async () => {
    await rejects(engine.scan(image('back_clean.jpg'), { now: NOW, expectedSide: 'front' }), [5007]);
  });

  it('rejects a photo without an ID card (3011 or 5001)', async () => {
    // A generated scene: smooth gradient with a few coloured shapes, no card.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="700">
      <defs><linearGradient id="g"><stop offset="0" stop-color="#3a5f8a"/><stop offset="1" stop-color="#c9a36b"/></linearGradient></defs>
      <rect width="900" height="700" fill="url(#g)"/><circle cx="250" cy="300" r="120" fill="#7b2d26"/>
      <rect x="560" y="380" width="160" height="210" fill="#2e7d32" transform="rotate(20 640 485)"/></svg>`;
    const scene = await sharp(Buffer.from(svg)).jpeg().toBuffer();
    await rejects(engine.scan(scene, { now: NOW }), [3011, 5001]);
  });

  it('does not answer random noise as a card (no number read from it)', async () => {
    // The line networks' search returns the likeliest valid number on anything: noise was once answered "back
    // of an ID" with a flagged number. Its print does not match the card's layout (NO_CARD_LAYOUT_SCORE).
    const rng = new Rng(7);
    const [w, h] = [1280, 960];
    const pixels = Buffer.from(Array.from({ length: w * h * 3 }, () => rng.int(0, 255)));
    const noise = await sharp(pixels, { raw: { width: w, height: h, channels: 3 } }).jpeg().toBuffer();
    await rejects(engine.scan(noise, { now: NOW }), [3011, 5001]);
  });

  it('flags a photo of a screen as fake and passes the genuine capture', async () => {
    const screen = await engine.scan(image('front_screen.jpg'), { now: NOW });
    assert.equal(screen.spoof.fake, true, `screen scores ${JSON.stringify(screen.spoof.scores)}`);
    assert.deepEqual(screen.spoof.reasons.filter((r) => r !== 'glare'), ['screen_or_print_recapture']);
    assert.equal(frontClean.spoof.fake, false, `genuine scores ${JSON.stringify(frontClean.spoof.scores)}`);
  });

  it('flags a photocopy as a greyscale copy', async () => {
    const copy = await engine.scan(image('front_photocopy.jpg'), { now: NOW });
    assert.equal(copy.spoof.fake, true);
    assert.ok(copy.spoof.reasons.includes('greyscale_copy'), `reasons ${copy.spoof.reasons.join(', ')}`);
  });

  it('passes every genuine fixture capture, and flags most photos of colour prints (the recapture model)', async () => {
    for (const file of ['front_rot90.jpg', 'front_degraded.jpg', 'back_degraded.jpg']) {
      const r = await engine.scan(image(file), { now: NOW });
      assert.equal(r.spoof.fake, false, `${file}: ${r.spoof.reasons.join(', ')} ${JSON.stringify(r.spoof.scores)}`);
    }
    // Colour prints of the canonical front, photographed as the generator photographs them (halftone, paper,
    // faded gamut), seeds fixed here. Lightly degraded prints are the easy case: over every degradation level the
    // model flags about half of held-out generated prints (README, "Fraud signals"). Of these ten it flags 9; the
    // fixed thresholds it replaced flagged 6.
    let flagged = 0;
    const PRINTS = 10;
    for (let k = 0; k < PRINTS; k++) {
      const { image: photo } = await degrade(image('canonical_front.jpg'), new Rng(900 + k), { attack: 'print', level: 'light', rightAngle: 0, width: 1280, height: 960 });
      const r = await engine.scan(photo, { now: NOW }).catch(() => null);
      if (r?.spoof.fake) flagged++;
    }
    assert.ok(flagged >= 8, `only ${flagged} of ${PRINTS} prints flagged`);
  });

  it('reports a corrupted ID digit as a finding instead of returning a wrong number silently', async () => {
    // Overprint one digit of the NID with a copy of a different digit from the same line: the card now
    // carries a number that fails the check digit.
    const bytes = image('canonical_front.jpg');
    const card = await decodeRgb(bytes, 2000);
    const box = toPixels(FRONT_BOXES.idNumber, card.width, card.height);
    const line = await readDigitLine(crop(card, box), loadDigitTemplates());
    assert.equal(line.glyphs.length, 14);
    const truth = item('canonical_front.jpg').labels.idNumber!;
    // Target: a middle digit of the serial part; source: a glyph showing a different digit.
    const target = 11;
    const source = line.glyphs.findIndex((_, i) => truth[i] !== truth[target] && truth[i] !== '0' && truth[i] !== '1');
    assert.ok(source >= 0);
    const [sx, sy, sw, sh] = line.glyphs[source]!.box.map(Math.round) as [number, number, number, number];
    const [tx, ty, tw, th] = line.glyphs[target]!.box.map(Math.round) as [number, number, number, number];
    const pad = 3;
    const patch = await sharp(bytes)
      .extract({ left: box.left + sx - pad, top: box.top + Math.min(sy, ty) - pad, width: sw + 2 * pad, height: Math.max(sh, th) + 2 * pad })
      .toBuffer();
    const blank = await sharp(bytes)
      .extract({ left: box.left + tx - pad, top: box.top + Math.min(sy, ty) - pad - Math.max(sh, th) - 2 * pad, width: tw + 2 * pad, height: Math.max(sh, th) + 2 * pad })
      .toBuffer();
    const corrupted = await sharp(bytes)
      .composite([
        { input: blank, left: box.left + tx - pad, top: box.top + Math.min(sy, ty) - pad },
        { input: patch, left: box.left + tx - pad, top: box.top + Math.min(sy, ty) - pad },
      ])
      .jpeg({ quality: 95 })
      .toBuffer();
    const r = await engine.scan(corrupted, { now: NOW });
    assert.equal(r.side, 'front');
    const returnedWrong = r.data.idNumber !== null && r.data.idNumber !== truth;
    const flagged = codesFor(r, 'idNumber').includes(3001);
    assert.ok(flagged, 'the unreadable / invalid NID must be reported under 3001');
    assert.ok(!returnedWrong || flagged);
  });
});
