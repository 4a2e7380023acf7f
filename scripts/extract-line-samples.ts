/**
 * Cuts the number lines (ID number, dates) out of generated phone captures as the line network reads them
 * (src/document/ocr/line-net.ts `linePlane`) and writes them with their printed text, for
 * scripts/train-line-net.py.
 *
 *   npx tsx scripts/gen-synth.ts --n 1200 --seed 777 --out /tmp/synthtrain        (disjoint from the eval's seed 1)
 *   npx tsx scripts/extract-line-samples.ts --data /tmp/synthtrain [--jitter 3] [--box-jitter 0.025] [--out <data>/line-samples.bin]
 *
 * Each genuine capture is warped with its true corners and with `--jitter` copies whose corners are moved by up
 * to 1.5 % of the card's diagonal (as the outline finder leaves them), then each line box is cropped exactly as
 * the reader crops it. On the jittered copies the box itself is also moved by up to `--box-jitter` of the card's
 * width and height: the network trained without it reads 340 of 421 eval lines with jittered corners and the box
 * 2 % low, one trained with `--jitter 4 --box-jitter 0.025` reads 394 (README, "Tried … not landed"). Cards whose
 * number ends in 0 are marked held out. Deterministic for a given set.
 *
 * Date lines are stretched twice as wide as ID lines (line-net.ts LINE_STRETCH).
 *
 * File: records of [u16 width][u8 kind: 0 ID number, 1 date][u8 held out][u8 text length][text, ASCII digits
 * and '/'][height × width bytes], the height being line-net's (LINE_HEIGHT), preceded by a u32 record count
 * and a u16 height.
 */
import fs from 'node:fs';
import path from 'node:path';
import { toAsciiDigits } from '../src/document/arabic.js';
import { BACK_EXPIRY_DATE_BOX, pixelBox } from '../src/document/fields.js';
import { crop } from '../src/document/image.js';
import { BACK_BOXES, FRONT_BOXES, type Box } from '../src/document/layout.js';
import { LINE_HEIGHT, linePlane } from '../src/document/ocr/line-net.js';
import { Rng } from '../src/document/synth/rng.js';
import { ProgressBar } from './progress.js';
import { option } from './args.js';
import { dataDirArg, genuineItems, warpedCards } from './training-cards.js';

const dataDir = dataDirArg();
const JITTER = Number(option('jitter', '3'));
const BOX_JITTER = Number(option('box-jitter', '0'));
const outFile = option('out', path.join(dataDir, 'line-samples.bin'));

const ascii = (s: string | undefined) => toAsciiDigits(s ?? '').replace(/[^\d/]/g, '');

/** The number lines of a side: box, kind and printed text. */
function lines(side: 'front' | 'back', printed: Record<string, string>): { box: Box; kind: 0 | 1; text: string }[] {
  if (side === 'front')
    return [
      { box: FRONT_BOXES.idNumber, kind: 0, text: ascii(printed.idNumber) },
      { box: FRONT_BOXES.dateOfBirth, kind: 1, text: ascii(printed.dateOfBirth) },
    ];
  return [
    { box: BACK_BOXES.idNumber, kind: 0, text: ascii(printed.idNumber) },
    { box: BACK_BOXES.releaseDate, kind: 1, text: ascii(printed.releaseDate) },
    { box: BACK_EXPIRY_DATE_BOX, kind: 1, text: ascii(printed.expiry) },
  ];
}

/** The box moved by dx, dy (fractions of the card). */
const shifted = (b: Box, dx: number, dy: number): Box => ({ ...b, x: b.x + dx, y: b.y + dy });

const items = genuineItems(dataDir);
const rng = new Rng(20261202);
const records: Buffer[] = [];
const bar = new ProgressBar('extract lines', items.length);
for (const [k, it] of items.entries()) {
  for (const [copy, card] of (await warpedCards(dataDir, it, JITTER, rng)).entries()) {
    for (const line of lines(it.side, it.printed)) {
      if (!line.text || line.text.length > 255) continue;
      const box = copy === 0 || !BOX_JITTER ? line.box : shifted(line.box, rng.uniform(-1, 1) * BOX_JITTER, rng.uniform(-1, 1) * BOX_JITTER);
      const { data, width } = linePlane(crop(card, pixelBox(box, card)), line.kind === 0 ? 'id' : 'date');
      const head = Buffer.alloc(5);
      head.writeUInt16LE(width, 0);
      head.writeUInt8(line.kind, 2);
      head.writeUInt8(it.card % 10 === 0 ? 1 : 0, 3);
      head.writeUInt8(line.text.length, 4);
      records.push(head, Buffer.from(line.text, 'ascii'), Buffer.from(data));
    }
  }
  if (k % 20 === 0 || k === items.length - 1) bar.tick(k + 1, `${records.length / 3} lines`);
}
const top = Buffer.alloc(6);
top.writeUInt32LE(records.length / 3, 0);
top.writeUInt16LE(LINE_HEIGHT, 4);
fs.writeFileSync(outFile, Buffer.concat([top, ...records]));
console.log(`${records.length / 3} lines → ${outFile}`);
