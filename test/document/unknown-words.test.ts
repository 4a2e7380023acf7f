/**
 * A line with a word no lexicon knows has only tesseract's confidence to vouch for it, and needs more of it
 * (UNKNOWN_WORDS_MIN_CONFIDENCE) than a line of known words. Calibration fronts (`gen-synth --n 400 --seed 3`, made
 * again by setCapture) that the engine before this change returned wrong and trusted, each with one such word read
 * between 0.85 and 0.9: 81 (clean) and 280 (clean), last names with سلامم and حمر; 371 (medium), address line 1
 * with بنن and line 2 with بس for بني.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareKey } from '../../src/document/arabic.js';
import { missingFonts } from '../../src/document/synth/index.js';

const missing = missingFonts();
const skip = missing.length > 0 && !process.env.CI ? `fonts missing: ${missing.join(', ')}` : false;

test('a line with an unknown word read under 0.9 is listed as unsure (calibration fronts 81, 280, 371)', { skip, timeout: 180_000 }, async () => {
  const { scanSetCaptures } = await import('../helpers/cards.js');
  const fields: Record<number, string[]> = { 81: ['last_names'], 280: ['last_names'], 371: ['address_1', 'address_2'] };
  await scanSetCaptures(3, 'front', [81, 280, 371], (r, labels, index) => {
    for (const field of fields[index]!) {
      // Right, or listed as unsure: never wrong and trusted.
      const right = compareKey(r.data[field] ?? '') === compareKey(labels[field] ?? '');
      assert.ok(right || r.findings.some((f) => f.field === field), `front ${index} ${field}: ${r.data[field]} is wrong and not listed as unsure`);
    }
  });
});
