/**
 * A blind human review of whether the ID number line of generated captures can be read at all, so the eval can
 * tell "the engine failed to read a legible number" from "nobody could read this capture" (the capture should
 * then be refused for a retake, 5006, and never answered wrong).
 *
 * 1. Sheets: every genuine heavy capture of a generated set and a sample of the medium ones, the number line cut
 *    from the card warped at the generator's true corners (the best view any reader could get), shuffled and
 *    numbered, twelve to a sheet. The reviewer sees no engine output and no level.
 *        npx tsx bench/legibility-review.ts --data /tmp/synth500 --out /tmp/legibility [--medium 60] [--seed 99]
 *    writes sheet-00.png … and key.json (index → capture file and its SHA-256).
 * 2. Each reviewer writes one line per index, `007 2`: 2 every digit readable with confidence, 1 most digits
 *    readable but some uncertain, 0 several digits cannot be made out.
 * 3. Collect:
 *        npx tsx bench/legibility-review.ts --collect --out /tmp/legibility --ratings a.txt,b.txt \
 *          --name synth500-seed1 --set "gen-synth --n 500 --seed 1 --attacks --attack-rate 0.15" [--notes "…"]
 *    writes bench/legibility/<name>.json, which eval:document reads (--legibility; it matches captures by SHA-256,
 *    so a regenerated set that differs by a byte is simply not matched).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadOpenCV } from '../src/document/cv.js';
import { warpQuad, type Quad } from '../src/document/detect.js';
import { MAX_PHOTO_SIDE } from '../src/document/engine.js';
import { crop, decodeRgb, encodeRaw } from '../src/document/image.js';
import { BACK_BOXES, CANONICAL_H, CANONICAL_W, FRONT_BOXES, padBox, toPixels } from '../src/document/layout.js';
import { Rng } from '../src/document/synth/rng.js';
import { commandLine as args, option } from '../scripts/args.js';
import { fileSha256, type LegibilityReview } from './legibility.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = option('out', '/tmp/legibility');
const PER_SHEET = 12;


async function sheets(): Promise<void> {
  const dir = option('data', '/tmp/synth500');
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8')) as {
    items: { file: string; side: 'front' | 'back'; attack: string | null; degradation?: { level?: string; corners?: [number, number][] } | null }[];
  };
  const rng = new Rng(Number(option('seed', '99')));
  const genuine = doc.items.filter((it) => !it.attack && it.degradation?.corners);
  const heavy = genuine.filter((it) => it.degradation!.level === 'heavy');
  const medium = rng.shuffle(genuine.filter((it) => it.degradation!.level === 'medium')).slice(0, Number(option('medium', '60')));
  const items = rng.shuffle([...heavy, ...medium]);
  fs.mkdirSync(out, { recursive: true });
  const cv = await loadOpenCV();
  const lines: { png: Buffer; width: number; height: number }[] = [];
  for (const it of items) {
    const photo = await decodeRgb(fs.readFileSync(path.join(dir, it.file)), MAX_PHOTO_SIDE);
    const quad = it.degradation!.corners!.map(([x, y]) => ({ x, y })) as Quad;
    const card = warpQuad(cv, photo, quad, CANONICAL_W, CANONICAL_H);
    const box = padBox(it.side === 'front' ? FRONT_BOXES.idNumber : BACK_BOXES.idNumber, 0.008, 0.012);
    const line = crop(card, toPixels(box, card.width, card.height));
    lines.push({ png: await encodeRaw(line, 'png'), width: line.width, height: line.height });
  }
  const LABEL_W = 56;
  for (let s = 0; s * PER_SHEET < items.length; s++) {
    const part = lines.slice(s * PER_SHEET, (s + 1) * PER_SHEET);
    const width = LABEL_W + Math.max(...part.map((l) => l.width));
    const height = part.reduce((h, l) => h + l.height + 6, 0);
    let y = 0;
    const layers: sharp.OverlayOptions[] = [];
    part.forEach((l, i) => {
      const index = String(s * PER_SHEET + i).padStart(3, '0');
      const label = `<svg width="${LABEL_W}" height="${l.height}"><text x="6" y="${l.height / 2 + 6}" font-family="DejaVu Sans Mono" font-size="16">${index}</text></svg>`;
      layers.push({ input: Buffer.from(label), left: 0, top: y }, { input: l.png, left: LABEL_W, top: y });
      y += l.height + 6;
    });
    await sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(layers).png().toFile(path.join(out, `sheet-${String(s).padStart(2, '0')}.png`));
  }
  const key = items.map((it) => ({ file: it.file, sha256: fileSha256(path.join(dir, it.file)) }));
  fs.writeFileSync(path.join(out, 'key.json'), JSON.stringify(key, null, 1));
  console.log(`${items.length} lines (${heavy.length} heavy, ${medium.length} medium) on ${Math.ceil(items.length / PER_SHEET)} sheets in ${out}; key.json maps index → capture (keep it from the reviewers)`);
}

function collect(): void {
  const key = JSON.parse(fs.readFileSync(path.join(out, 'key.json'), 'utf8')) as { file: string; sha256: string }[];
  const files = option('ratings', '').split(',').filter(Boolean);
  if (!files.length) throw new Error('--ratings a.txt[,b.txt]');
  const ratings = files.map((f) => {
    const m = new Map<number, number>();
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      const hit = /^\s*(\d+)\s+([012])\s*$/.exec(line);
      if (hit) m.set(Number(hit[1]), Number(hit[2]));
    }
    if (m.size !== key.length) throw new Error(`${f}: ${m.size} ratings for ${key.length} lines`);
    return m;
  });
  const review: LegibilityReview = {
    set: option('set', ''),
    method:
      'Blind review (bench/legibility-review.ts): the ID number line of each capture cut from the card warped at the generator\'s true corners, shuffled and numbered, no engine output shown. 2 = every digit readable with confidence, 1 = most digits readable, some uncertain, 0 = several digits cannot be made out.',
    reviewers: ratings.length,
    notes: option('notes', ''),
    captures: Object.fromEntries(key.map((k, i) => [k.file, { sha256: k.sha256, ratings: ratings.map((r) => r.get(i)!) }])),
  };
  const dest = path.join(ROOT, 'bench', 'legibility', `${option('name', 'review')}.json`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  // One capture a line: the file stays readable and diffs stay small.
  const { captures, ...head } = review;
  const body = Object.entries(captures).map(([f, c]) => `  ${JSON.stringify(f)}: ${JSON.stringify(c)}`);
  fs.writeFileSync(dest, `${JSON.stringify(head, null, 1).slice(0, -2)},\n "captures": {\n${body.join(',\n')}\n }\n}\n`);
  const unreadable = Object.values(review.captures).filter((c) => c.ratings.every((r) => r === 0)).length;
  console.log(`wrote ${path.relative(ROOT, dest)}: ${key.length} captures, ${ratings.length} reviewers, unreadable to every reviewer ${unreadable}`);
}

if (args.collect) collect();
else await sheets();
