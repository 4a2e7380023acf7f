/**
 * Arabic text lines with tesseract.js 7 + the npm `ara` best_int model, fully offline (ocr-feasibility.md):
 * local langPath (without it tesseract.js goes to a CDN and hangs or crashes), cacheMethod 'none' (no
 * traineddata written into the cwd), PSM 7 on one field crop at a time, global Otsu binarisation first.
 * Workers are created once and shared through a scheduler.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { createScheduler, createWorker, PSM, type Scheduler, type Worker } from 'tesseract.js';
import { inkThreshold, padWhite, toMaxChannel, type RawImage } from '../image.js';
import { cleanArabic } from '../arabic.js';

export interface TextWord {
  text: string;
  /** 0..1 */
  confidence: number;
  /** In the crop's pixels. */
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

export interface TextLine {
  /** Logical order, bidi marks and harakat removed, spaces collapsed. */
  text: string;
  /** 0..1, tesseract's mean word confidence. */
  confidence: number;
  words: TextWord[];
}

const WORKER_START_TIMEOUT_MS = 30_000;
/** Band height (px) under which a line is re-binarised at a larger scale. */
const MIN_LINE_PX = 36;

function araLangPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/ara/package.json')), '4.0.0_best_int');
}

async function startWorker(): Promise<Worker> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('tesseract worker did not start in time')), WORKER_START_TIMEOUT_MS);
  });
  try {
    const worker = await Promise.race([
      createWorker('ara', 1, {
        langPath: araLangPath(),
        gzip: true,
        cacheMethod: 'none',
        // Without an error handler a worker error is thrown from the worker thread and kills the process.
        errorHandler: () => undefined,
      }),
      timeout,
    ]);
    // debug_file: Tesseract prints a "Total count=0 … SD=0.00" table to stdout for blank crops otherwise.
    await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: '300', debug_file: '/dev/null' });
    return worker;
  } finally {
    clearTimeout(timer);
  }
}

export interface BinaryLine {
  /** 255 = background, 0 = ink. */
  data: Uint8Array;
  width: number;
  height: number;
  /** Upscale factor applied to the crop. */
  scale: number;
  /** Row of the (upscaled) crop that row 0 of this image shows; negative when a margin was added. */
  top?: number;
  /** Column of the (upscaled) crop that column 0 of this image shows. */
  left?: number;
}

/**
 * max(R,G,B) (the card's orange pyramids and blue guilloche turn light, black print stays dark), optional
 * upscale for small text, ink threshold (see inkThreshold).
 */
export async function binarizeForText(img: RawImage, scale = 1): Promise<BinaryLine> {
  const g = toMaxChannel(img);
  let data = g.data;
  let width = g.width;
  let height = g.height;
  if (scale !== 1) {
    width *= scale;
    height *= scale;
    data = new Uint8Array(
      await sharp(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.length), { raw: { width: g.width, height: g.height, channels: 1 } })
        .resize(width, height, { kernel: 'lanczos3', fit: 'fill' })
        .toColourspace('b-w')
        .raw()
        .toBuffer(),
    );
  }
  const thr = inkThreshold(data);
  const bin = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) bin[i] = data[i]! > thr ? 255 : 0;
  return { data: bin, width, height, scale };
}

/**
 * Keeps only the text line nearest the expected centre (fraction of the crop height): the rectification is
 * never exact, so field crops are taken taller than the line and may catch a neighbouring line or artwork.
 * Rows are grouped into ink bands; the chosen band is grown a little for dots and cut at its neighbours.
 */
export function isolateLine(line: BinaryLine, expectedCenter = 0.5, rightAligned = false): BinaryLine {
  const { data, width, height } = line;
  const rows = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    let n = 0;
    for (let x = 0; x < width; x++) if (data[y * width + x] === 0) n++;
    rows[y] = n;
  }
  const smooth = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    let s = 0;
    let k = 0;
    for (let d = -2; d <= 2; d++) {
      if (y + d < 0 || y + d >= height) continue;
      s += rows[y + d]!;
      k++;
    }
    smooth[y] = s / k;
  }
  const peak = Math.max(...smooth);
  if (peak <= 0) return line;
  const on = (y: number) => smooth[y]! > peak * 0.12;
  const bands: { top: number; bottom: number; mass: number }[] = [];
  for (let y = 0; y < height; y++) {
    if (!on(y)) continue;
    const top = y;
    let mass = 0;
    while (y < height && on(y)) mass += rows[y++]!;
    bands.push({ top, bottom: y - 1, mass });
  }
  if (!bands.length) return line;
  const totalMass = bands.reduce((s, b) => s + b.mass, 0);
  const cy = expectedCenter * height;
  let best = bands[0]!;
  let bestScore = -Infinity;
  for (const b of bands) {
    const mid = (b.top + b.bottom) / 2;
    // Position matters more than ink mass: a short first name must beat the long name line below it.
    const score = b.mass / totalMass - (3 * Math.abs(mid - cy)) / height;
    if (score > bestScore) {
      bestScore = score;
      best = b;
    }
  }
  // The nearest ink is a neighbouring line: this line is blank (optional fields such as the job title).
  if (Math.abs((best.top + best.bottom) / 2 - cy) > height * 0.35) return { data: new Uint8Array(width * 8).fill(255), width, height: 8, scale: line.scale, top: 0 };
  // Dots and hamzas above or below the letters (ز ذ ض ظ ف ق ي ...) can form bands of their own: small bands
  // close to the line belong to it (cutting at them would strip the dots and turn ز into ر).
  let first = bands.indexOf(best);
  let last = first;
  const bodyH = best.bottom - best.top + 1;
  const isMark = (b: { top: number; bottom: number; mass: number }, gap: number) => gap <= bodyH * 0.6 && b.mass < best.mass * 0.3 && b.bottom - b.top + 1 <= bodyH * 0.6;
  while (first > 0 && isMark(bands[first - 1]!, bands[first]!.top - bands[first - 1]!.bottom)) first--;
  while (last < bands.length - 1 && isMark(bands[last + 1]!, bands[last + 1]!.top - bands[last]!.bottom)) last++;
  best = { top: bands[first]!.top, bottom: bands[last]!.bottom, mass: best.mass };
  const pad = Math.round(bodyH * 0.35);
  const prevBottom = first > 0 ? bands[first - 1]!.bottom + 1 : 0;
  const nextTop = last < bands.length - 1 ? bands[last + 1]!.top - 1 : height - 1;
  const top = Math.max(prevBottom, best.top - pad, 0);
  const bottom = Math.min(nextTop, best.bottom + pad, height - 1);
  // Blank everything outside the band but keep a white margin: tesseract reads lines better with some air.
  const margin = Math.round((bottom - top + 1) * 0.3);
  const outH = bottom - top + 1 + 2 * margin;
  const out = new Uint8Array(width * outH).fill(255);
  out.set(data.subarray(top * width, (bottom + 1) * width), margin * width);
  const result: BinaryLine = { data: out, width, height: outH, scale: line.scale, top: top - margin };
  return rightAligned ? keepRightRun(result, bodyH) : result;
}

/**
 * Right-aligned Arabic lines start at the right edge; words are separated by well under two line heights.
 * Anything left of a wider gap is background artwork (the pyramids) and is cut off, and the line is cropped
 * to its ink with a margin (tesseract reads a short word far better without a wide blank field beside it).
 */
function keepRightRun(line: BinaryLine, lineH: number): BinaryLine {
  const { data, width, height } = line;
  const cols = new Uint8Array(width);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      if (data[y * width + x] === 0) {
        cols[x] = 1;
        break;
      }
    }
  }
  let right = width - 1;
  while (right >= 0 && !cols[right]) right--;
  if (right < 0) return line;
  let left = right;
  let gap = 0;
  for (let x = right; x >= 0; x--) {
    if (cols[x]) {
      gap = 0;
      left = x;
    } else if (++gap > lineH * 1.6) break;
  }
  const m = Math.round(lineH * 0.5);
  const x0 = Math.max(0, left - m);
  const x1 = Math.min(width - 1, right + m);
  const w = x1 - x0 + 1;
  const out = new Uint8Array(w * height);
  for (let y = 0; y < height; y++) out.set(data.subarray(y * width + x0, y * width + x1 + 1), y * w);
  return { ...line, data: out, width: w, left: x0 };
}

/**
 * Second reads of a line that did not read as known words: a larger scale (short bold words lose their dots and
 * teeth at the usual size), a smaller one (a big lone word sometimes reads as nothing), or a wide white margin
 * (a word alone at the crop edge is often cut or ignored).
 */
export type LineVariant = 'plain' | 'large' | 'small' | 'padded';

/** The binary line resized by `k` (a big single word sometimes reads only smaller: tesseract's line model). */
async function scaleLine(line: BinaryLine, k: number): Promise<BinaryLine> {
  const width = Math.max(8, Math.round(line.width * k));
  const height = Math.max(8, Math.round(line.height * k));
  const grey = await sharp(Buffer.from(line.data.buffer, line.data.byteOffset, line.data.length), { raw: { width: line.width, height: line.height, channels: 1 } })
    .resize(width, height, { kernel: 'linear', fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = grey[i]! < 128 ? 0 : 255;
  const sx = width / line.width;
  return { data, width, height, scale: line.scale * sx, top: (line.top ?? 0) * sx, left: (line.left ?? 0) * sx };
}

function padLine(line: BinaryLine): BinaryLine {
  const m = Math.round(line.height * 0.6);
  const padded = padWhite({ data: line.data, width: line.width, height: line.height, channels: 1 }, m, m);
  return { data: padded.data, width: padded.width, height: padded.height, scale: line.scale, top: (line.top ?? 0) - m, left: (line.left ?? 0) - m };
}

async function toPng(line: BinaryLine): Promise<Buffer> {
  return sharp(Buffer.from(line.data.buffer, line.data.byteOffset, line.data.length), { raw: { width: line.width, height: line.height, channels: 1 } })
    .png()
    .toBuffer();
}

/** A field crop made ready for tesseract: the isolated binary line and its PNG, or nulls for a blank line. */
export interface PreparedLine {
  line: BinaryLine | null;
  png: Buffer | null;
}

/**
 * One text line of a field crop (RGB or grey) isolated, binarised at a scale tesseract reads well, and encoded for
 * TextReader.readPrepared. `expectedCenter` (fraction of the crop height) picks the line when the crop holds more
 * than one.
 */
export async function prepareLine(img: RawImage, expectedCenter = 0.5, rightAligned = false, variant: LineVariant = 'plain'): Promise<PreparedLine> {
  let line = isolateLine(await binarizeForText(img), expectedCenter, rightAligned);
  // Tesseract's LSTM wants ~40 px lines: re-binarise small print from the grey crop at a larger scale.
  const inkRows = line.height / 1.6;
  const minPx = variant === 'large' ? MIN_LINE_PX * 1.8 : MIN_LINE_PX;
  if (inkRows < minPx) {
    const scale = Math.min(4, Math.ceil((minPx * 1.2) / Math.max(8, inkRows)));
    line = isolateLine(await binarizeForText(img, scale), expectedCenter, rightAligned);
  }
  if (variant === 'padded') line = padLine(line);
  if (variant === 'small') line = await scaleLine(line, 0.6);
  // Blank line (an optional field left empty): tesseract would only print diagnostics for it.
  if (!line.data.includes(0)) return { line: null, png: null };
  return { line, png: await toPng(line) };
}

export class TextReader {
  private constructor(
    private readonly scheduler: Scheduler,
    readonly workers: number,
  ) {}

  static async create(workers = 1): Promise<TextReader> {
    const scheduler = createScheduler();
    const started = await Promise.all(Array.from({ length: Math.max(1, workers) }, () => startWorker()));
    for (const w of started) scheduler.addWorker(w);
    return new TextReader(scheduler, started.length);
  }

  /**
   * Reads a line prepareLine made; word boxes come back in the crop's own pixels. The job goes to a worker at once
   * (when one is free), so a caller can prepare its lines, start their reads, and work on something else while
   * the workers read.
   */
  async readPrepared(prepared: PreparedLine): Promise<TextLine> {
    const { line, png } = prepared;
    if (!line || !png) return { text: '', confidence: 1, words: [] };
    const result = await this.readPng(png);
    const top = line.top ?? 0;
    const left = line.left ?? 0;
    const k = line.scale;
    const words = result.words.map((w) => ({
      ...w,
      bbox: { x0: (w.bbox.x0 + left) / k, x1: (w.bbox.x1 + left) / k, y0: (w.bbox.y0 + top) / k, y1: (w.bbox.y1 + top) / k },
    }));
    return { ...result, words };
  }

  /** Reads a prepared (already binarised) PNG line image. */
  async readPng(png: Buffer): Promise<TextLine> {
    const { data } = await this.scheduler.addJob('recognize', png, {}, { text: true, blocks: true });
    const words: TextWord[] = (data.blocks ?? []).flatMap((b) =>
      b.paragraphs.flatMap((p) =>
        p.lines.flatMap((l) => l.words.map((w) => ({ text: cleanArabic(w.text), confidence: w.confidence / 100, bbox: w.bbox }))),
      ),
    );
    const text = cleanArabic(data.text ?? '');
    const confidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
    return { text, confidence, words };
  }

  async close(): Promise<void> {
    await this.scheduler.terminate();
  }
}
