/**
 * The name lexicon holds common names, not every name: a given name outside it that tesseract reads surely and
 * alike at four scales is returned as printed (flagged as unknown), not "corrected" to the known name one letter
 * away. Cards are rendered here with such names (ناصف, one letter from ناصر; نصرى, from نصر).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareKey } from '../../src/document/arabic.js';
import { DocumentEngine, TEXT_MIN_CONFIDENCE } from '../../src/document/engine.js';
import { nameLexicon } from '../../src/document/lexicon.js';
import { DEFAULT_TODAY, missingFonts, randomCardSpec, renderCard } from '../../src/document/synth/index.js';

const missing = missingFonts();
const skip = missing.length > 0 && !process.env.CI ? `fonts missing: ${missing.join(', ')}` : false;

test('a given name outside the lexicon, read alike at every scale, is kept as printed and flagged', { skip, timeout: 120_000 }, async () => {
  const engine = await DocumentEngine.create();
  const now = new Date(`${DEFAULT_TODAY}T12:00:00Z`);
  try {
    for (const [firstName, known] of [['ناصف', 'ناصر'], ['نصرى', 'نصر']] as const) {
      assert.ok(!nameLexicon().has(firstName) && nameLexicon().has(known), `${firstName} must be outside the lexicon, ${known} in it`);
      const { front } = await renderCard({ ...randomCardSpec(21), firstName }, { sides: ['front'] });
      const r = await engine.scan(front, { expectedSide: 'front', now });
      assert.equal(compareKey(r.data.first_name ?? ''), compareKey(firstName), `${firstName} read as ${r.data.first_name}`);
      assert.ok(r.fields.first_name!.confidence < TEXT_MIN_CONFIDENCE, 'an unknown name is not vouched for');
      assert.ok(r.findings.some((f) => f.field === 'first_name'), 'and is listed among the findings');
    }
    // A known name printed is read and trusted as before.
    const { front } = await renderCard({ ...randomCardSpec(21), firstName: 'ناصر' }, { sides: ['front'] });
    const r = await engine.scan(front, { expectedSide: 'front', now });
    assert.equal(r.data.first_name, 'ناصر');
  } finally {
    await engine.close();
  }
});

test('a name line that ends in a word needing another after it (the article, عبد) is not vouched for', { skip, timeout: 120_000 }, async () => {
  const engine = await DocumentEngine.create();
  const now = new Date(`${DEFAULT_TODAY}T12:00:00Z`);
  try {
    // What tesseract returned for a calibration card whose last name it lost after the article, trusted at 0.95.
    for (const lastNames of ['محمد عبد الحليم ال', 'محمود سيد عبد']) {
      const { front } = await renderCard({ ...randomCardSpec(21), lastNames }, { sides: ['front'] });
      const r = await engine.scan(front, { expectedSide: 'front', now });
      assert.ok(r.fields.last_names!.confidence < TEXT_MIN_CONFIDENCE, `${lastNames}: read as ${r.data.last_names} at ${r.fields.last_names!.confidence}`);
      assert.ok(r.findings.some((f) => f.field === 'last_names'), 'and is listed among the findings');
    }
  } finally {
    await engine.close();
  }
});

test('عبد read with a dot slip before a divine name is put right; a name one dot from it elsewhere is left', async () => {
  const { abdBeforeDivineName } = await import('../../src/document/lexicon.js');
  // What tesseract returned for calibration cards (عند الغفار, عيد الناصر).
  assert.deepEqual(abdBeforeDivineName('سامى محمود عند الغفار'), { text: 'سامى محمود عبد الغفار', fixed: 1 });
  assert.deepEqual(abdBeforeDivineName('حنفى عيد الناصر حازم'), { text: 'حنفى عبد الناصر حازم', fixed: 1 });
  // عيد is a name of its own; before a family name it stays.
  assert.deepEqual(abdBeforeDivineName('محمد عيد السيد'), { text: 'محمد عيد السيد', fixed: 0 });
});

/**
 * Calibration fronts (`gen-synth --n 400 --seed 3`, made again by setCapture) whose given name no read was sure of
 * and whose most confident read was wrong: 90 (light, ممدوح read most surely as فتوح) and 178 (light, وئام as يق).
 * Two or more of the four reads agreed on the printed name; that name is returned now, still listed as unsure.
 */
test('an unsure given name is the known name most reads agree on (calibration fronts 90, 178)', { skip, timeout: 120_000 }, async () => {
  const { scanSetCaptures } = await import('../helpers/cards.js');
  await scanSetCaptures(3, 'front', [90, 178], (r, labels, index) => {
    assert.equal(compareKey(r.data.first_name ?? ''), compareKey(labels.first_name ?? ''), `front ${index}: ${r.data.first_name}`);
    assert.ok(r.findings.some((f) => f.field === 'first_name'), `front ${index}: still listed as unsure`);
  });
});

/**
 * Calibration front 210 (light): the last names were read "سامى محمود عند الففار". عند is عبد only before a divine
 * name, and الففار is one only once the lexicon has put it right, so the rule for عبد runs again after it.
 */
test('عبد before a divine name that itself was read with a slip is put right (calibration front 210)', { skip, timeout: 120_000 }, async () => {
  const { scanSetCaptures } = await import('../helpers/cards.js');
  await scanSetCaptures(3, 'front', [210], (r, labels) => {
    assert.equal(compareKey(r.data.last_names ?? ''), compareKey(labels.last_names ?? ''), `front 210: ${r.data.last_names}`);
  });
});
