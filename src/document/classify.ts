/**
 * Side and upright orientation of a rectified card from its content.
 * The back carries a 2D barcode over its lower ~40 %: a band of dense black/white transitions in both
 * directions that nothing on the front has. The front carries a large greyscale portrait top-left.
 * Both cues are measured in the two landscape orientations (0° and 180°), so the same numbers resolve the
 * 180° ambiguity that the outline detector leaves open.
 */
import { BACK_BOXES, FRONT_BOXES, toPixels, type Box } from './layout.js';
import { crop, toGrey, type RawImage } from './image.js';

export interface SideCues {
  /** Barcode texture where the back's barcode sits when the card is upright / upside down. */
  barcodeUpright: number;
  barcodeFlipped: number;
  /** Portrait darkness where the front's portrait sits when upright / upside down. */
  portraitUpright: number;
  portraitFlipped: number;
}

function flipBox(b: Box): Box {
  return { x: 1 - b.x - b.w, y: 1 - b.y - b.h, w: b.w, h: b.h };
}

/**
 * Share of 12×12 blocks with strong contrast (std-dev over 28 grey levels). A barcode is busy
 * everywhere; text lines and pictures leave most blocks smooth. Block statistics survive blur that
 * pixel-level edge counts do not.
 */
export function busyBlockFraction(grey: RawImage, block = 12, minStd = 28): number {
  const { data, width, height } = grey;
  let busy = 0;
  let blocks = 0;
  for (let by = 0; by + block <= height; by += block) {
    for (let bx = 0; bx + block <= width; bx += block) {
      let s = 0;
      let s2 = 0;
      for (let y = by; y < by + block; y++) {
        for (let x = bx; x < bx + block; x++) {
          const v = data[y * width + x]!;
          s += v;
          s2 += v * v;
        }
      }
      const n = block * block;
      const std = Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
      if (std > minStd) busy++;
      blocks++;
    }
  }
  return blocks ? busy / blocks : 0;
}

/** Fraction of clearly dark pixels (hair, clothing, the portrait's shading). */
function darkFraction(grey: RawImage): number {
  let n = 0;
  for (const v of grey.data) if (v < 90) n++;
  return grey.data.length ? n / grey.data.length : 0;
}

export function sideCues(card: RawImage): SideCues {
  const grey = toGrey(card);
  const region = (b: Box) => crop(grey, toPixels(b, grey.width, grey.height));
  const barcode = BACK_BOXES.barcode;
  const portrait = FRONT_BOXES.portrait;
  return {
    barcodeUpright: busyBlockFraction(region(barcode)),
    barcodeFlipped: busyBlockFraction(region(flipBox(barcode))),
    portraitUpright: darkFraction(region(portrait)),
    portraitFlipped: darkFraction(region(flipBox(portrait))),
  };
}

export type SideGuess = { side: 'front' | 'back'; flipped: boolean; margin: number };

/** Busy-block share above this means a back side (measured: real fronts ≤ 0.22, real backs ≥ 0.32). */
export const BARCODE_MIN = 0.28;
/** Below this no back side is considered at all. */
export const BARCODE_NONE = 0.1;

/** A side's orientation by its own cue (the barcode's position on a back, the portrait's on a front). */
export function sideGuess(c: SideCues, side: 'front' | 'back'): SideGuess {
  if (side === 'back') return { side, flipped: c.barcodeFlipped > c.barcodeUpright, margin: Math.max(c.barcodeUpright, c.barcodeFlipped) - BARCODE_MIN };
  return { side, flipped: c.portraitFlipped > c.portraitUpright, margin: Math.abs(c.portraitUpright - c.portraitFlipped) };
}

/** Most likely side and orientation, best first (the engine verifies by reading, and falls back in order). */
export function rankSides(c: SideCues): SideGuess[] {
  const barcode = Math.max(c.barcodeUpright, c.barcodeFlipped);
  const back = sideGuess(c, 'back');
  const front = sideGuess(c, 'front');
  // Clear barcode evidence rules the front out, and its clear absence rules the back out: a flipped back's
  // NID line can otherwise land where a front's NID is read.
  const primary = barcode >= BARCODE_MIN ? [back] : barcode < BARCODE_NONE ? [front] : [front, back];
  const out: SideGuess[] = [];
  for (const g of primary) {
    out.push(g);
    out.push({ ...g, flipped: !g.flipped, margin: 0 });
  }
  return out;
}
