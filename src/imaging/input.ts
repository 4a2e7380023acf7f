/**
 * Turns what a client sent (base64 with or without a data: prefix, or raw bytes) into checked image bytes.
 * Shared by the document and face engines so every endpoint rejects bad images the same way (spec §2.5):
 * undecodable → 400, not JPEG/PNG → 415, over 5 MB → 5002, over 25 megapixels → 5003.
 */
import sharp from 'sharp';
import { VlensError } from '../server/errors.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 25_000_000;

export type ImageFormat = 'jpeg' | 'png';

export interface DecodedImage {
  bytes: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
  /** EXIF orientation (1–8) as stored; engines call `sharp(bytes).rotate()` to honour it. */
  orientation?: number;
  /** EXIF DateTimeOriginal/SubSecTimeOriginal in ms since epoch, when the image carries it. */
  captureTimeMs?: number;
}

const BASE64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function sniffFormat(bytes: Buffer): ImageFormat | 'pdf' | 'other' {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  return 'other';
}

/** Decodes base64 (standard or URL-safe, whitespace tolerated, optional data-URI prefix). */
export function base64ToBytes(input: string): Buffer {
  let s = input.trim();
  const comma = s.indexOf(',');
  if (s.startsWith('data:') && comma > 0) s = s.slice(comma + 1);
  s = s.replace(/\s+/g, '');
  if (s.length === 0 || !BASE64_RE.test(s)) {
    throw new VlensError(400, 'Please provide a valid base64 encoded image.', 400);
  }
  const bytes = Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
  if (bytes.length === 0) throw new VlensError(400, 'Please provide a valid base64 encoded image.', 400);
  return bytes;
}

/** Full edge check of one image. Throws VlensError with the spec's code. */
export async function decodeImageInput(input: string | Buffer): Promise<DecodedImage> {
  const bytes = typeof input === 'string' ? base64ToBytes(input) : input;
  if (bytes.length > MAX_IMAGE_BYTES) throw new VlensError(5002);
  const format = sniffFormat(bytes);
  if (format === 'pdf' || format === 'other') {
    throw new VlensError(415, 'Unsupported media type: send a JPEG or PNG image.', 415);
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new VlensError(400, 'Please provide a valid base64 encoded image.', 400);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_IMAGE_PIXELS) throw new VlensError(5003);
  if (width < 16 || height < 16) throw new VlensError(400, 'Please provide a valid base64 encoded image.', 400);
  // A truncated/corrupt body can have a valid header: make sure the pixels actually decode.
  try {
    await sharp(bytes, { failOn: 'error' }).resize(8, 8, { fit: 'fill' }).raw().toBuffer();
  } catch {
    throw new VlensError(400, 'Please provide a valid base64 encoded image.', 400);
  }
  return { bytes, format, width, height, orientation: meta.orientation, captureTimeMs: exifCaptureTime(meta.exif) };
}

/** Reads DateTimeOriginal (+SubSecTimeOriginal) from a raw EXIF block without a dependency. */
export function exifCaptureTime(exif: Buffer | undefined): number | undefined {
  if (!exif) return undefined;
  const text = exif.toString('latin1');
  const m = /(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(t)) return undefined;
  // SubSecTime is an ASCII field right after; take the first short digit run following the date if present.
  const after = text.slice(m.index + m[0].length, m.index + m[0].length + 64);
  const sub = /\x00(\d{1,6})\x00/.exec(after);
  return sub ? t + Math.round(Number('0.' + sub[1]) * 1000) : t;
}
