/**
 * ID-portrait simulation for tests and the eval: an Egyptian-ID-like greyscale portrait cut from a photo,
 * and a minimal rectified card front carrying it (portrait top-left per the document layout, plus the
 * small grey "ghost" portrait). It is not the document engine's card renderer; it only reproduces what the
 * face engine sees: a low-resolution, desaturated, JPEG-compressed face beside a smaller ghost face.
 */
import sharp from 'sharp';
import { CANONICAL_H, CANONICAL_W, FRONT_BOXES, toPixels } from '../document/layout.js';
import type { Box } from './types.js';

/** Crops the portrait around a face box (ID framing: head and shoulders) → width×height, grey-ish, JPEG q70. */
export async function idPortrait(photo: Buffer, face: Box, size: { width: number; height: number } = { width: 100, height: 130 }): Promise<Buffer> {
  const meta = await sharp(photo).rotate().toBuffer({ resolveWithObject: true });
  const W = meta.info.width;
  const H = meta.info.height;
  const cw = face.width * 1.7;
  const ch = cw * (size.height / size.width);
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height * 0.45;
  // Pad with the image's edge colour so the crop may extend past the photo.
  const pad = Math.ceil(Math.max(cw, ch));
  const padded = await sharp(meta.data).extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' }).toBuffer();
  const left = Math.round(cx - cw / 2 + pad);
  const top = Math.round(cy - ch / 2 + pad);
  return sharp(padded)
    .extract({ left: Math.max(0, left), top: Math.max(0, top), width: Math.min(Math.round(cw), W + 2 * pad - left), height: Math.min(Math.round(ch), H + 2 * pad - top) })
    .resize(size.width, size.height, { fit: 'cover' })
    .modulate({ saturation: 0.15 })
    .linear(0.9, 12)
    .jpeg({ quality: 70 })
    .toBuffer();
}

/** A plain rectified card front (1000x631) with `portrait` in the layout's portrait box and a ghost copy. */
export async function cardWithPortrait(portrait: Buffer): Promise<Buffer> {
  const pb = toPixels(FRONT_BOXES.portrait);
  const main = await sharp(portrait).resize(pb.width, pb.height, { fit: 'cover' }).greyscale().toBuffer();
  const ghostW = Math.round(pb.width * 0.3);
  const ghost = await sharp(portrait).resize(ghostW, Math.round(ghostW * 1.3), { fit: 'cover' }).greyscale().linear(0.45, 130).toBuffer();
  const bar = (w: number, h: number, grey: number) => sharp({ create: { width: w, height: h, channels: 3, background: { r: grey, g: grey, b: grey } } }).png().toBuffer();
  const bars = await Promise.all([0, 1, 2, 3].map((i) => bar(380 - i * 40, 22, 70)));
  return sharp({ create: { width: CANONICAL_W, height: CANONICAL_H, channels: 3, background: { r: 222, g: 228, b: 218 } } })
    .composite([
      { input: main, left: pb.left, top: pb.top },
      { input: ghost, left: 880, top: 40 },
      ...bars.map((input, i) => ({ input, left: 560 + i * 40, top: 190 + i * 70 })),
      { input: await bar(560, 34, 40), left: 400, top: 500 },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
}
