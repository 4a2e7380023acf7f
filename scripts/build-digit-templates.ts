/**
 * Renders the glyphs the digit reader knows in Debian fonts at a few sizes and stores their features
 * (committed, so the server never needs the fonts):
 *  - src/document/ocr/digit-templates.json: Eastern-Arabic digits ٠–٩ and '/' (ID number, dates);
 *  - src/document/ocr/latin-templates.json: A–Z and 0–9 (the serial / idKey).
 * Run: npx tsx scripts/build-digit-templates.ts   (needs the fonts of .ci/apt-packages-document.txt)
 */
import fs from 'node:fs';
import sharp from 'sharp';
import {
  DIGIT_LABELS, DIGIT_TEMPLATES_PATH, LATIN_LABELS, LATIN_TEMPLATES_PATH, serializeTemplates, templatesFromStrip, type DigitTemplate,
} from '../src/document/ocr/digits.js';

const EASTERN = '٠١٢٣٤٥٦٧٨٩';
// Naskh/sans families close to the card print, plus a spread of other styles for robustness.
const ARABIC_FONTS = [
  'Noto Naskh Arabic Bold', 'Noto Naskh Arabic', 'Noto Sans Arabic Bold', 'Noto Sans Arabic', 'Noto Kufi Arabic Bold',
  'Amiri Bold', 'Amiri', 'DejaVu Sans Bold', 'KacstBook', 'KacstOne Bold', 'KacstNaskh', 'KacstOffice', 'AlArabiya', 'Arab',
];
const LATIN_FONTS = ['DejaVu Sans Mono Bold', 'DejaVu Sans Mono', 'DejaVu Sans Bold', 'DejaVu Sans', 'Noto Sans Bold', 'DejaVu Serif Bold'];
/** Point sizes: small renders are read at the reader's upscaled size, like small print in a photo. */
const SIZES = [16, 22, 28, 40];
/** Gaussian blur of extra renders, in px at size 28 (scaled with the size): photos are soft, glyphs fatten and merge. */
const BLURS = [0, 1.0, 1.8];

async function renderStrip(font: string, size: number, text: string, blur: number) {
  // sharp renders pango text as a white-on-black mask; invert to dark ink on white like a card.
  let img = sharp({ text: { text, font: `${font} ${size}`, dpi: 72 } }).extend({ top: 12, bottom: 12, left: 12, right: 12, background: { r: 0, g: 0, b: 0 } });
  if (blur > 0) img = sharp(await img.png().toBuffer()).blur(Math.max(0.3, (blur * size) / 28));
  const { data, info } = await img
    .negate()
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 1 };
}

async function build(fonts: string[], labels: string[], glyph: (l: string) => string, outer: string, outerLabel: string, file: string) {
  const templates: DigitTemplate[] = [];
  let failed = 0;
  for (const font of fonts) {
    for (const size of SIZES) {
      for (const blur of BLURS) {
        for (const label of labels) {
          const got = await templatesFromStrip(await renderStrip(font, size, `${outer}${glyph(label)}${outer}`, blur), label, font, outerLabel);
          if (!got.length) failed++;
          templates.push(...got);
        }
      }
    }
  }
  fs.writeFileSync(file, serializeTemplates(templates));
  console.log(`${templates.length} templates (${failed} renders did not segment) → ${file}`);
}

await build(ARABIC_FONTS, DIGIT_LABELS, (l) => (l === '/' ? '/' : EASTERN[+l]!), EASTERN[1]!, '1', DIGIT_TEMPLATES_PATH);
await build(LATIN_FONTS, LATIN_LABELS, (l) => l, 'H', 'H', LATIN_TEMPLATES_PATH);
