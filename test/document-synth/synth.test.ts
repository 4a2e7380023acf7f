import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { BACK_BOXES, CANONICAL_H, CANONICAL_W, FRONT_BOXES, boxContains, type Box } from '../../src/document/layout.js';
import { parseNationalId } from '../../src/document/nid.js';
import { toAsciiDigits } from '../../src/document/arabic.js';
import { degrade, renderCard, randomCardSpec, renderDigitGlyphs, digitFontFiles, Rng, missingFonts, mapPoint } from '../../src/document/synth/index.js';

const missing = missingFonts();
// CI installs the fonts (.ci/apt-packages-document.txt); elsewhere, skip rather than fail without them.
const skip = missing.length > 0 && !process.env.CI ? `fonts missing: ${missing.join(', ')}` : false;
const NOW = new Date('2025-11-26T00:00:00Z');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('randomCardSpec is deterministic and rule-consistent', () => {
  assert.deepEqual(randomCardSpec(42), randomCardSpec(42));
  assert.notDeepEqual(randomCardSpec(42).nid, randomCardSpec(43).nid);
  let females = 0;
  let husbands = 0;
  let expired = 0;
  for (let s = 0; s < 400; s++) {
    const c = randomCardSpec(s);
    const p = parseNationalId(c.nid, { now: NOW });
    assert.equal(p.valid, true, `seed ${s}: ${p.errors.map((e) => e.reason)}`);
    assert.equal(p.birthDate, c.birthDate);
    assert.equal(p.gender, c.gender);
    assert.match(c.idKey, /^[A-Z]{2}\d{7}$/);
    assert.match(c.releaseDate, /^\d{4}-\d{2}$/);
    assert.match(c.expiryDate, /^\d{4}-\d{2}-\d{2}$/);
    // valid 7 years from issue, issued at 16 or older, not in the future
    assert.equal(+c.expiryDate.slice(0, 4), +c.releaseDate.slice(0, 4) + 7);
    assert.equal(c.expiryDate.slice(5, 7), c.releaseDate.slice(5, 7));
    assert.ok(c.releaseDate >= `${+c.birthDate.slice(0, 4) + 16}`, `seed ${s}`);
    assert.ok(c.releaseDate <= '2025-11');
    assert.ok(c.address2.includes(' - '));
    assert.equal(c.genderText, c.gender === 'male' ? 'ذكر' : 'أنثى');
    if (c.gender === 'female') females++;
    if (c.husbandName) {
      husbands++;
      assert.equal(c.gender, 'female');
    }
    if (c.expiryDate < '2025-11-26') expired++;
  }
  assert.ok(females > 120 && females < 280, String(females));
  assert.ok(husbands > 10, String(husbands));
  assert.ok(expired > 5 && expired < 80, String(expired));
});

test('Rng.shuffle: a seeded permutation that leaves its input alone', () => {
  const xs = Array.from({ length: 30 }, (_, i) => i);
  const a = new Rng(7).shuffle(xs);
  assert.deepEqual([...a].sort((p, q) => p - q), xs, 'every element once');
  assert.deepEqual(new Rng(7).shuffle(xs), a, 'same seed, same order');
  assert.notDeepEqual(a, xs, 'the order changed');
  assert.notDeepEqual(new Rng(8).shuffle(xs), a, 'another seed, another order');
  assert.deepEqual(xs, Array.from({ length: 30 }, (_, i) => i), 'input untouched');
});

test('renderCard: canonical size, deterministic, labels and layout', { skip }, async () => {
  const spec = randomCardSpec(7);
  const a = await renderCard(spec);
  const b = await renderCard(randomCardSpec(7));
  assert.equal(sha(a.front), sha(b.front));
  assert.equal(sha(a.back), sha(b.back));
  for (const img of [a.front, a.back]) {
    const m = await sharp(img).metadata();
    assert.equal(m.format, 'png');
    assert.equal(m.width, CANONICAL_W);
    assert.equal(m.height, CANONICAL_H);
  }
  const f = a.labels.front;
  for (const k of ['first_name', 'last_names', 'name', 'address_1', 'address_2', 'address', 'govern', 'idNumber', 'idKey', 'dateOfBirth', 'gender'] as const) {
    assert.ok(typeof f[k] === 'string' && f[k].length > 0, k);
  }
  assert.equal(f.name, `${f.first_name} ${f.last_names}`);
  assert.equal(f.idNumber, spec.nid);
  assert.equal(f.dateOfBirth, spec.birthDate);
  assert.ok(f.first_name_english.length > 0 && /^[A-Za-z]/.test(f.first_name_english));
  const bk = a.labels.back;
  for (const k of ['idNumber', 'releaseDate', 'job', 'gender', 'religion', 'maritalStatus', 'idExpiry'] as const) assert.ok(bk[k], k);
  assert.equal(bk.idNumber, f.idNumber);
  assert.equal(toAsciiDigits(a.labels.printed.front.idNumber).replace(/ /g, ''), spec.nid);
  assert.equal(toAsciiDigits(a.labels.printed.back.idNumber), spec.nid);
  assert.ok(a.labels.printed.back.expiry.startsWith('البطاقة سارية حتى'));
});

test('rendered text stays inside the layout boxes', { skip }, async () => {
  for (let s = 100; s < 106; s++) {
    const r = await renderCard(randomCardSpec(s));
    for (const [side, layout] of [
      ['front', FRONT_BOXES],
      ['back', BACK_BOXES],
    ] as const) {
      for (const [k, box] of Object.entries(r.labels.boxes[side])) {
        const lb = (layout as Record<string, Box>)[k];
        if (!lb) continue;
        assert.ok(boxContains(lb, box, 0.003), `seed ${s} ${side}.${k} ${JSON.stringify(box)} outside ${JSON.stringify(lb)}`);
      }
    }
  }
});

test('degrade: deterministic phone-like capture with a consistent transform', { skip }, async () => {
  const card = await renderCard(randomCardSpec(11), { sides: ['front'] });
  const t0 = Date.now();
  const d1 = await degrade(card.front, new Rng(5), { rightAngle: 90 });
  const elapsed = Date.now() - t0;
  const d2 = await degrade(card.front, new Rng(5), { rightAngle: 90 });
  assert.equal(sha(d1.image), sha(d2.image));
  const m = await sharp(d1.image).metadata();
  assert.equal(m.format, 'jpeg');
  assert.equal(m.width, d1.transform.width);
  assert.equal(m.height, d1.transform.height);
  assert.equal(d1.transform.rightAngle, 90);
  for (const [x, y] of d1.transform.corners) {
    assert.ok(x >= -1 && y >= -1 && x <= m.width! + 1 && y <= m.height! + 1);
  }
  const [x0, y0] = mapPoint(d1.transform.homography, [0, 0]);
  assert.ok(Math.abs(x0 - d1.transform.corners[0][0]) < 0.5 && Math.abs(y0 - d1.transform.corners[0][1]) < 0.5);
  // rotated 90° clockwise: the card's top edge runs downwards in the photo
  const [tl, tr] = d1.transform.corners;
  assert.ok(tr[1] - tl[1] > Math.abs(tr[0] - tl[0]));
  assert.ok(elapsed < 5000, `degrade took ${elapsed} ms`);
});

test('degrade attacks: photocopy is greyscale, screen and print are labelled', { skip }, async () => {
  const card = await renderCard(randomCardSpec(12), { sides: ['front'] });
  const pc = await degrade(card.front, new Rng(1), { attack: 'photocopy' });
  assert.equal(pc.transform.attack, 'photocopy');
  const { data, info } = await sharp(pc.image).raw().toBuffer({ resolveWithObject: true });
  if (info.channels >= 3) {
    let maxDiff = 0;
    for (let i = 0; i < data.length; i += info.channels * 97) maxDiff = Math.max(maxDiff, Math.abs(data[i] - data[i + 1]), Math.abs(data[i + 1] - data[i + 2]));
    assert.ok(maxDiff <= 3, `photocopy has colour (max channel difference ${maxDiff})`);
  }
  for (const attack of ['screen', 'print'] as const) {
    const d = await degrade(card.front, new Rng(2), { attack });
    assert.equal(d.transform.attack, attack);
    assert.ok(d.image.length > 1000);
  }
});

test('renderDigitGlyphs gives ten glyphs per generator font', { skip }, async () => {
  const fonts = digitFontFiles();
  assert.ok(fonts.length >= 3);
  const g = await renderDigitGlyphs(fonts[0].file, 40);
  assert.equal(g.length, 10);
  assert.deepEqual(
    g.map((x) => x.ascii),
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  );
  for (const x of g) {
    assert.equal(x.data.length, x.width * x.height);
    assert.ok(x.width > 2 && x.height > 2);
  }
  // ٠ is a small dot sitting mid-height; ١ is tall
  assert.ok(g[1].height > 2 * g[0].height);
});

const FIX = resolve(import.meta.dirname, '../fixtures/cards');
test('committed fixtures are present, small and consistent', { skip: !existsSync(join(FIX, 'labels.json')) && 'no fixtures' }, async () => {
  const doc = JSON.parse(readFileSync(join(FIX, 'labels.json'), 'utf8')) as { items: Array<Record<string, any>> };
  assert.ok(doc.items.length >= 6);
  const attacks = new Set(doc.items.map((i) => i.attack));
  assert.ok(attacks.has('screen') && attacks.has('photocopy') && attacks.has(null));
  assert.ok(doc.items.some((i) => i.degradation?.rightAngle === 90));
  for (const it of doc.items) {
    const p = join(FIX, it.file);
    assert.ok(statSync(p).size < 160 * 1024, `${it.file} too large`);
    const m = await sharp(p).metadata();
    if (it.degradation) assert.deepEqual([m.width, m.height], [it.degradation.width, it.degradation.height]);
    else assert.deepEqual([m.width, m.height], [CANONICAL_W, CANONICAL_H]);
    assert.equal(parseNationalId(it.labels.idNumber, { now: NOW }).valid, true);
  }
});

test('gen-synth writes images and labels.json', { skip }, async () => {
  const { generateSet } = await import('../../scripts/gen-synth.js');
  const dir = mkdtempSync(join(tmpdir(), 'synth-'));
  try {
    await generateSet({ n: 2, seed: 3, out: dir, sides: ['front', 'back'], attacks: true, attackRate: 0.5, level: 'mixed', clean: false, concurrency: 1, progress: false });
    const doc = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'));
    assert.equal(doc.items.length, 4);
    for (const it of doc.items) {
      assert.ok(existsSync(join(dir, it.file)));
      assert.ok(it.side === 'front' || it.side === 'back');
      assert.ok(it.attack === null || ['screen', 'photocopy', 'print'].includes(it.attack));
      assert.equal(it.labels.idNumber.length, 14);
      assert.ok(Array.isArray(it.degradation.corners) && it.degradation.corners.length === 4);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
