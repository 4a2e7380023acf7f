/**
 * How often a clean phone capture of a card passes without any finding (the SDKs treat any finding as
 * "recapture"), and per field how often it is right and how often it is flagged. Synthetic cards from the
 * generator (src/document/synth/capture.ts: card filling a landscape frame, clean light, slight tilt).
 *
 *   npm run bench:clean -- [--n 20] [--seed 1000] [--date 2026-12-01]
 *
 * The cards are dated `--date` and read as of that day, so every run reads the same cards.
 */
import { compareKey } from '../src/document/arabic.js';
import { DocumentEngine } from '../src/document/engine.js';
import { capturedCard } from '../src/document/synth/capture.js';
import { option } from '../scripts/args.js';
import { ProgressBar } from '../scripts/progress.js';

const n = Number(option('n', '20'));
const seed0 = Number(option('seed', '1000'));
const today = option('date', '2026-12-01');
if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error('--date YYYY-MM-DD');
const now = new Date(`${today}T12:00:00Z`);
const engine = await DocumentEngine.create({ textWorkers: 1 });
const stats = new Map<string, { n: number; right: number; flagged: number; rightFlagged: number }>();
let bothClean = 0;
const progress = new ProgressBar('cards', n);
for (let i = 0; i < n; i++) {
  const card = await capturedCard(seed0 + i * 7, undefined, today);
  let clean = true;
  for (const side of ['front', 'back'] as const) {
    try {
      const r = await engine.scan(side === 'front' ? card.front : card.back, { expectedSide: side, now });
      if (r.findings.length) clean = false;
      for (const [field, want] of Object.entries(card.labels[side] as unknown as Record<string, unknown>)) {
        if (field.endsWith('_english') || !(field in r.data)) continue;
        const s = stats.get(`${side}.${field}`) ?? { n: 0, right: 0, flagged: 0, rightFlagged: 0 };
        const right = compareKey(r.data[field] ?? '') === compareKey(String(want ?? ''));
        const flagged = r.findings.some((f) => f.field === field);
        s.n++;
        s.right += right ? 1 : 0;
        s.flagged += flagged ? 1 : 0;
        s.rightFlagged += right && flagged ? 1 : 0;
        stats.set(`${side}.${field}`, s);
      }
    } catch {
      clean = false;
    }
  }
  if (clean) bothClean++;
  progress.tick(i + 1);
}
await engine.close();
console.log(`\n\n| field | n | right | flagged | right but flagged |\n|---|---|---|---|---|`);
for (const [field, s] of stats) console.log(`| ${field} | ${s.n} | ${s.right} | ${s.flagged} | ${s.rightFlagged} |`);
console.log(`\nClean captures passing both sides with no finding: ${bothClean}/${n} (cards dated ${today})`);
