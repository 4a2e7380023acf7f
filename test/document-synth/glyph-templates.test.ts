/**
 * The glyph reader's template matching (src/document/ocr/digits.ts classifyGlyph) visits each class's templates
 * nearest-bound first and stops early; it must give exactly what the plain full scan gives, on glyphs cut from
 * captures the generator makes here and now.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyGlyph, classifyGlyphFullScan, loadDigitTemplates, loadLatinTemplates, segmentAtReadingScale } from '../../src/document/ocr/digits.js';
import { missingFonts } from '../../src/document/synth/index.js';
import { idLineCapture } from '../helpers/cards.js';

const missing = missingFonts();
const skip = missing.length > 0 && !process.env.CI ? `fonts missing: ${missing.join(', ')}` : false;

test('glyph templates: the pruned search gives the full scan’s distribution on every glyph', { skip }, async () => {
  const sets = [loadDigitTemplates(), loadLatinTemplates()];
  let glyphs = 0;
  for (const seed of [4201, 4202, 4203, 4204]) {
    for (const side of ['front', 'back'] as const) {
      for (const level of ['light', 'heavy'] as const) {
        const { line } = await idLineCapture(seed, side, level);
        const { segs } = await segmentAtReadingScale(line);
        for (const { f } of segs) {
          glyphs++;
          // The Latin set as well: any feature must get its nearest templates, whatever it shows.
          for (const templates of sets) assert.deepEqual(classifyGlyph(f, templates), classifyGlyphFullScan(f, templates));
        }
      }
    }
  }
  assert.ok(glyphs >= 100, `only ${glyphs} glyphs segmented`);
});
