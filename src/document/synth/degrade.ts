/**
 * Turns a clean canonical card image into a phone-photo-like capture: card on a cluttered background,
 * perspective + rotation (incl. 90/180/270°), scale, drop shadow, lighting gradient, glare, colour
 * cast, defocus/motion blur, resolution loss, sensor noise and JPEG. Optionally renders presentation
 * attacks instead of a genuine capture: `screen` (photo of a display: subpixel grid, moiré, glare),
 * `photocopy` (greyscale copy on paper: contrast loss, toner specks), `print` (colour print: halftone,
 * paper tint). Warping is done in JS on raw buffers (src/document/synth/warp.ts); sharp does blur,
 * resampling and encoding. Everything is drawn from the given Rng, so captures are reproducible.
 */
import sharp from 'sharp';
import { Rng } from './rng.js';
import { homography, mapPoint, warpInto, type Mat3, type Point } from './warp.js';

export type Attack = 'screen' | 'photocopy' | 'print';
export type BackgroundKind = 'wood' | 'fabric' | 'carpet' | 'desk' | 'dark' | 'paper' | 'display';

export interface DegradeOptions {
  /** Render a presentation attack instead of a genuine capture (default: none). */
  attack?: Attack | null;
  /** Right-angle rotation of the card in the photo; default random (0° most often). */
  rightAngle?: 0 | 90 | 180 | 270;
  /** Extra in-plane rotation in degrees; default random small (sometimes any angle). */
  angle?: number;
  /** Card width as a fraction of the photo's shorter/longer fitting side; default random 0.5–0.9. */
  cardScale?: number;
  /** Perspective strength (max corner displacement as a fraction of card width), default random 0–0.07. */
  perspective?: number;
  /** Output size; default random phone-like (e.g. 1280×960, 960×1280, 1600×900 …). */
  width?: number;
  height?: number;
  /** Overall degradation level; scales blur/noise/JPEG/lighting ranges. Default 'medium'. */
  level?: 'clean' | 'light' | 'medium' | 'heavy';
  background?: BackgroundKind;
  /** Explicit values (override the random draws). */
  blur?: number;
  noise?: number;
  jpegQuality?: number;
  glare?: boolean;
  /** Peak added brightness of the glare spot (default random 60–200). */
  glareStrength?: number;
  shadow?: boolean;
}

export interface DegradeTransform {
  width: number;
  height: number;
  /** Card corners in the output image, in the card's own order: top-left, top-right, bottom-right, bottom-left. */
  corners: [Point, Point, Point, Point];
  /** Homography (row-major 3×3) mapping canonical card pixels (CANONICAL_W×CANONICAL_H) to output pixels. */
  homography: Mat3;
  /** 0/90/180/270: the right-angle part of the card's rotation (clockwise). */
  rightAngle: 0 | 90 | 180 | 270;
  /** Total in-plane rotation in degrees (clockwise, includes rightAngle). */
  rotation: number;
  /** Card width in the photo / canonical width. */
  scale: number;
  perspective: number;
  background: BackgroundKind;
  blur: number;
  motionBlur: number;
  noise: number;
  jpegQuality: number;
  /** Downscale factor applied then undone (resolution loss), 1 = none. */
  resample: number;
  glare: { x: number; y: number; radius: number; strength: number } | null;
  shadow: { angle: number; strength: number } | null;
  attack: Attack | null;
  level: string;
}

export interface Degraded {
  /** JPEG bytes. */
  image: Buffer;
  transform: DegradeTransform;
}

const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

// ------------------------------------------------------------------------------------------------
// Backgrounds (SVG, rasterised by librsvg)

/** A muted, natural-looking random colour (low saturation, mid lightness). */
function muted(rng: Rng, lo = 40, hi = 220): string {
  const l = rng.uniform(lo, hi);
  const sat = rng.uniform(0.05, 0.45);
  const hue = rng.uniform(0, 2 * Math.PI);
  return rgb(l * (1 + sat * Math.cos(hue)), l * (1 + sat * Math.cos(hue - 2.1)), l * (1 + sat * Math.cos(hue + 2.1)));
}

function rgb(r: number, g: number, b: number): string {
  return `rgb(${Math.round(clamp8(r))},${Math.round(clamp8(g))},${Math.round(clamp8(b))})`;
}

function backgroundSvg(rng: Rng, w: number, h: number, kind: BackgroundKind): string {
  const parts: string[] = [];
  const R = (a: number, b: number) => rng.uniform(a, b);
  if (kind === 'wood') {
    parts.push(`<rect width="${w}" height="${h}" fill="${rgb(R(110, 190), R(70, 130), R(40, 80))}"/>`);
  } else if (kind === 'fabric' || kind === 'carpet') {
    parts.push(`<rect width="${w}" height="${h}" fill="${rgb(R(60, 200), R(50, 180), R(40, 170))}"/>`);
  } else if (kind === 'dark') {
    const v = R(15, 60);
    parts.push(`<defs><radialGradient id="g" cx="${R(0.3, 0.7)}" cy="${R(0.3, 0.7)}" r="0.8"><stop offset="0" stop-color="${rgb(v + 30, v + 28, v + 25)}"/><stop offset="1" stop-color="${rgb(v, v, v)}"/></radialGradient></defs><rect width="${w}" height="${h}" fill="url(#g)"/>`);
  } else if (kind === 'paper') {
    const v = R(225, 250);
    parts.push(`<rect width="${w}" height="${h}" fill="${rgb(v, v - R(0, 6), v - R(2, 14))}"/>`);
  } else if (kind === 'display') {
    // a phone/monitor: dark bezel, lit display area
    const v = R(5, 30);
    parts.push(`<rect width="${w}" height="${h}" fill="${rgb(v, v, v + 4)}"/>`);
    const mx = R(0.02, 0.08) * w;
    const my = R(0.02, 0.08) * h;
    const ui = rng.bool(0.6) ? [R(230, 255), R(230, 255), R(235, 255)] : [R(20, 50), R(20, 50), R(25, 60)];
    parts.push(`<rect x="${mx}" y="${my}" width="${w - 2 * mx}" height="${h - 2 * my}" rx="${R(0, 30)}" fill="${rgb(ui[0], ui[1], ui[2])}"/>`);
  } else {
    // desk with clutter
    const base = rng.pick([
      [R(200, 240), R(200, 240), R(200, 240)],
      [R(20, 60), R(20, 60), R(20, 60)],
      [R(150, 200), R(120, 160), R(90, 120)],
      [R(90, 140), R(110, 150), R(130, 170)],
    ]);
    parts.push(`<rect width="${w}" height="${h}" fill="${rgb(base[0], base[1], base[2])}"/>`);
  }
  // clutter on every kind except paper/display: papers, pens, coins, phone, keys, text lines
  if (kind !== 'paper' && kind !== 'display') {
    const n = rng.int(kind === 'desk' ? 4 : 0, kind === 'desk' ? 12 : 4);
    for (let k = 0; k < n; k++) {
      const x = R(-0.1, 1) * w;
      const y = R(-0.1, 1) * h;
      const t = rng.int(0, 5);
      const rot = R(0, 360).toFixed(0);
      if (t === 0) {
        const pw = R(0.2, 0.5) * w;
        const ph = pw * 1.41;
        const v = R(225, 252);
        const lines = Array.from({ length: rng.int(3, 14) }, (_, i) => `<rect x="${pw * 0.1}" y="${ph * 0.1 + i * ph * 0.06}" width="${pw * R(0.4, 0.8)}" height="${ph * 0.012}" fill="#555" opacity="0.5"/>`).join('');
        parts.push(`<g transform="translate(${x} ${y}) rotate(${rot})"><rect width="${pw}" height="${ph}" fill="${rgb(v, v, v - 4)}"/>${lines}</g>`);
      } else if (t === 1) {
        parts.push(`<g transform="translate(${x} ${y}) rotate(${rot})"><rect width="${R(0.15, 0.35) * w}" height="${R(6, 14)}" rx="4" fill="${muted(rng)}"/></g>`);
      } else if (t === 2) {
        const r = R(0.02, 0.05) * w;
        parts.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="${rgb(R(150, 210), R(130, 180), R(60, 120))}"/><circle cx="${x}" cy="${y}" r="${r * 0.8}" fill="none" stroke="#000" stroke-opacity="0.2"/>`);
      } else if (t === 3) {
        const pw = R(0.15, 0.25) * w;
        parts.push(`<g transform="translate(${x} ${y}) rotate(${rot})"><rect width="${pw}" height="${pw * 2}" rx="${pw * 0.12}" fill="#111"/><rect x="${pw * 0.06}" y="${pw * 0.1}" width="${pw * 0.88}" height="${pw * 1.8}" rx="${pw * 0.06}" fill="${rgb(R(20, 80), R(20, 80), R(40, 120))}"/></g>`);
      } else if (t === 4) {
        parts.push(`<g transform="translate(${x} ${y}) rotate(${rot})"><rect width="${R(0.2, 0.45) * w}" height="${R(0.1, 0.3) * h}" fill="${muted(rng)}"/></g>`);
      } else {
        const r = R(0.05, 0.12) * w;
        parts.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="${muted(rng, 120, 240)}"/><circle cx="${x}" cy="${y}" r="${r * 0.75}" fill="${rgb(R(40, 120), R(20, 80), R(10, 40))}"/>`);
      }
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`;
}

/** Procedural texture (wood grain, weave, carpet motif) modulating a half-resolution background. */
function texture(px: Uint8ClampedArray, w: number, h: number, kind: BackgroundKind, rng: Rng): void {
  if (kind !== 'wood' && kind !== 'fabric' && kind !== 'carpet') return;
  const a = rng.uniform(0, Math.PI);
  const ca = Math.cos(a);
  const sa = Math.sin(a);
  const p = kind === 'wood' ? rng.uniform(2, 5) : kind === 'fabric' ? rng.uniform(1.2, 2.5) : rng.uniform(6, 14);
  const amp = kind === 'wood' ? rng.uniform(15, 35) : kind === 'fabric' ? rng.uniform(10, 25) : rng.uniform(25, 50);
  const tint = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
  const ph = rng.uniform(0, 6.28);
  for (let y = 0, i = 0; y < h; y++)
    for (let x = 0; x < w; x++, i += 3) {
      const u = x * ca + y * sa;
      const v = -x * sa + y * ca;
      let t: number;
      if (kind === 'wood') t = Math.sin(v / (p * 2.2) + 4 * Math.sin(u / 160 + ph) + 1.5 * Math.sin(v / 41 + u / 310)) * 0.6 + 0.25 * Math.sin(v / (p * 0.6) + Math.sin(u / 37)) + 0.15 * Math.sin(u / 7 + v / 3);
      else if (kind === 'fabric') t = Math.sin(u / p) * Math.sin(v / p);
      else {
        const m = Math.abs(Math.sin(u / p)) + Math.abs(Math.sin(v / p));
        t = m > 1.4 ? 1 : m < 0.5 ? -1 : Math.sin(u / (p * 0.5)) * 0.4;
      }
      px[i] += amp * t * (1 + 0.5 * tint[0]);
      px[i + 1] += amp * t * (1 + 0.5 * tint[1]);
      px[i + 2] += amp * t * (1 + 0.5 * tint[2]);
    }
}

/**
 * Background at full size. Drawn at half resolution and upscaled: cheap, and the softness reads as the
 * camera's depth of field (the card is in focus, the table is not).
 */
async function renderBackground(rng: Rng, w: number, h: number, kind: BackgroundKind): Promise<Uint8ClampedArray> {
  const hw = Math.max(2, Math.round(w / 2));
  const hh = Math.max(2, Math.round(h / 2));
  const { data } = await sharp(Buffer.from(backgroundSvg(rng, hw, hh, kind)))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const half = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
  texture(half, hw, hh, kind, rng);
  const { data: full } = await sharp(Buffer.from(half.buffer, half.byteOffset, half.byteLength), { raw: { width: hw, height: hh, channels: 3 } })
    .resize(w, h, { kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8ClampedArray(full.buffer, full.byteOffset, full.byteLength);
}

// ------------------------------------------------------------------------------------------------
// Attack renderings applied to the card image itself

function toPhotocopy(card: Uint8ClampedArray, w: number, h: number, rng: Rng): void {
  const lo = rng.uniform(40, 90);
  const hi = rng.uniform(180, 225);
  const gamma = rng.uniform(0.8, 1.3);
  const speck = rng.uniform(0.0005, 0.004);
  const streakX = rng.bool(0.5) ? rng.int(0, w - 1) : -1;
  for (let i = 0, p = 0; p < w * h; p++, i += 3) {
    const g = 0.299 * card[i] + 0.587 * card[i + 1] + 0.114 * card[i + 2];
    let v = ((g - lo) / (hi - lo)) ;
    v = v <= 0 ? 0 : v >= 1 ? 1 : v ** gamma;
    let o = v * 255;
    if (rng.next() < speck) o = rng.uniform(0, 80);
    if (streakX >= 0 && Math.abs((p % w) - streakX) < 2) o *= 0.7;
    card[i] = card[i + 1] = card[i + 2] = o;
  }
  // dark outline of the card edge (copier sees the card border)
  for (let x = 0; x < w; x++)
    for (const y of [0, 1, h - 2, h - 1]) {
      const i = (y * w + x) * 3;
      card[i] = card[i + 1] = card[i + 2] = 60;
    }
}

function toPrint(card: Uint8ClampedArray, w: number, h: number, rng: Rng): void {
  // CMY halftone with rotated screens, on warm paper
  const cell = rng.uniform(3.2, 5.5);
  const angles = [15, 75, 0].map((a) => ((a + rng.uniform(-3, 3)) * Math.PI) / 180);
  const paper = [rng.uniform(240, 252), rng.uniform(234, 246), rng.uniform(218, 236)];
  const sat = rng.uniform(0.75, 0.95);
  const cs = angles.map(Math.cos);
  const sn = angles.map(Math.sin);
  const inv = 1 / cell;
  const cosf = (t: number) => COS_LUT[((t - Math.floor(t)) * 1024) | 0];
  for (let y = 0, i = 0; y < h; y++)
    for (let x = 0; x < w; x++, i += 3) {
      const grey = (card[i] + card[i + 1] + card[i + 2]) / 3;
      for (let c = 0; c < 3; c++) {
        const v = grey + (card[i + c] - grey) * sat;
        const cover = 1 - v / 255; // ink coverage 0..1
        const u = x * cs[c] + y * sn[c];
        const t = -x * sn[c] + y * cs[c];
        const screen = 0.5 + 0.25 * (cosf(u * inv) + cosf(t * inv));
        const inked = cover > screen ? 1 : cover > screen - 0.08 ? (cover - screen + 0.08) / 0.08 : 0;
        // subtractive: ink removes the channel's light from the paper
        card[i + c] = paper[c] * (1 - 0.88 * inked);
      }
    }
}

// ------------------------------------------------------------------------------------------------

/** Screen subpixel stripe profile (R phase; G/B shifted by 1/3, 2/3), row gap profile, sine. */
const SUB_LUT = Float32Array.from({ length: 256 }, (_, i) => (0.62 + 0.38 * Math.cos((2 * Math.PI * i) / 256)) * 1.25);
const ROW_LUT = Float32Array.from({ length: 256 }, (_, i) => 0.82 + 0.18 * Math.cos((2 * Math.PI * i) / 256));
const COS_LUT = Float32Array.from({ length: 1024 }, (_, i) => Math.cos((2 * Math.PI * i) / 1024));
const SIN_LUT = Float32Array.from({ length: 1024 }, (_, i) => Math.sin((2 * Math.PI * i) / 1024));

const GAUSS = (() => {
  const r = new Rng(12345);
  const t = new Float32Array(65536);
  for (let i = 0; i < t.length; i++) t[i] = r.normal();
  return t;
})();

function pickLevel(level: DegradeOptions['level']) {
  switch (level) {
    case 'clean':
      return { blur: [0, 0.3], noise: [0, 1.5], q: [88, 95], persp: 0.02, glare: 0, shadow: 0.2, resample: [1, 1], motion: 0 };
    case 'light':
      return { blur: [0, 0.8], noise: [0.5, 3], q: [75, 92], persp: 0.04, glare: 0.25, shadow: 0.4, resample: [0.8, 1], motion: 0.05 };
    case 'heavy':
      return { blur: [0.6, 2.2], noise: [3, 9], q: [35, 70], persp: 0.08, glare: 0.6, shadow: 0.7, resample: [0.45, 0.8], motion: 0.25 };
    default:
      return { blur: [0, 1.4], noise: [1, 6], q: [55, 88], persp: 0.06, glare: 0.4, shadow: 0.55, resample: [0.6, 1], motion: 0.12 };
  }
}

/**
 * Make a phone-photo-like capture (or an attack rendering) of a canonical card image.
 * Deterministic for a given card, Rng state and options.
 */
export async function degrade(card: Buffer, rng: Rng, opts: DegradeOptions = {}): Promise<Degraded> {
  const level = opts.level ?? 'medium';
  const L = pickLevel(level);
  const attack = opts.attack ?? null;

  // -- card pixels
  const { data: cardRaw, info } = await sharp(card).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const cw = info.width;
  const ch = info.height;
  const cardPx = new Uint8ClampedArray(cardRaw.buffer, cardRaw.byteOffset, cardRaw.byteLength);
  if (attack === 'photocopy') toPhotocopy(cardPx, cw, ch, rng);
  if (attack === 'print') toPrint(cardPx, cw, ch, rng);

  // -- geometry
  const rightAngle: 0 | 90 | 180 | 270 = opts.rightAngle ?? rng.weighted([[0, 0.55], [90, 0.15], [180, 0.15], [270, 0.15]] as const);
  const anyAngle = opts.angle === undefined && rng.bool(0.12);
  const small = opts.angle ?? (anyAngle ? rng.uniform(-45, 45) : rng.normal(0, level === 'clean' ? 1.5 : 5));
  const rotation = rightAngle + small;
  // phone captures as uploaded by apps (already downscaled to ≤ 1280 px on the long side)
  const sizes: Array<[number, number]> = [
    [1280, 960], [960, 1280], [1280, 720], [720, 1280], [1024, 768], [768, 1024], [1152, 864], [864, 1152], [1200, 900],
  ];
  let [W, H] = opts.width && opts.height ? [opts.width, opts.height] : rng.pick(sizes);
  if (attack === 'screen' && !opts.width) [W, H] = rng.pick(sizes.filter(([a, b]) => a >= b));
  const persp = opts.perspective ?? rng.uniform(0, L.persp);
  const theta = (rotation * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  // rotated bounding box of the card (aspect cw:ch) must fit; pick card width in px
  const bbW = Math.abs(cw * cos) + Math.abs(ch * sin);
  const bbH = Math.abs(cw * sin) + Math.abs(ch * cos);
  const fit = Math.min((W * 0.94) / bbW, (H * 0.94) / bbH);
  const frac = opts.cardScale ?? rng.uniform(attack === 'screen' ? 0.55 : 0.5, 0.92);
  let k = Math.min(fit, fit * frac / 0.92 / (1 + 2 * persp));
  const scale = k;
  const hw = (cw * k) / 2;
  const hh = (ch * k) / 2;
  const base: Point[] = [
    [-hw, -hh],
    [hw, -hh],
    [hw, hh],
    [-hw, hh],
  ];
  const spanX = W - bbW * k * (1 + 2 * persp);
  const spanY = H - bbH * k * (1 + 2 * persp);
  const cx = W / 2 + rng.uniform(-0.45, 0.45) * Math.max(0, spanX);
  const cy = H / 2 + rng.uniform(-0.45, 0.45) * Math.max(0, spanY);
  const jit = () => rng.uniform(-1, 1) * persp * cw * k;
  const corners = base.map(([x, y]) => {
    const px = x + jit();
    const py = y + jit();
    return [cx + px * cos - py * sin, cy + px * sin + py * cos] as Point;
  }) as [Point, Point, Point, Point];
  const Hm = homography(
    [
      [0, 0],
      [cw, 0],
      [cw, ch],
      [0, ch],
    ],
    corners,
  );

  // -- background and drop shadow
  const bgKind: BackgroundKind =
    opts.background ??
    (attack === 'screen' ? 'display' : attack === 'photocopy' || attack === 'print' ? 'paper' : rng.pick(['wood', 'fabric', 'carpet', 'desk', 'desk', 'dark'] as const));
  const out = await renderBackground(rng, W, H, bgKind);
  const dst = { data: out, width: W, height: H };
  const wantShadow = attack !== 'screen' && attack !== 'photocopy';
  if (wantShadow) {
    // soft contact shadow: the card quad drawn at quarter resolution, blurred, upscaled, offset
    const q = 4;
    const qw = Math.ceil(W / q);
    const qh = Math.ceil(H / q);
    const sigma = Math.max(2, k * rng.uniform(6, 14));
    const dx = rng.uniform(-1, 1) * sigma;
    const dy = rng.uniform(0.2, 1) * sigma;
    const strength = rng.uniform(0.25, 0.55);
    const pts = corners.map(([x, y]) => `${((x + dx) / q).toFixed(2)},${((y + dy) / q).toFixed(2)}`).join(' ');
    const { data: sm } = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${qw}" height="${qh}"><rect width="${qw}" height="${qh}" fill="#000"/><polygon points="${pts}" fill="#fff"/></svg>`))
      .extractChannel(0)
      .blur(Math.max(0.5, sigma / q))
      .resize(W, H, { kernel: 'linear' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let p = 0, i = 0; p < W * H; p++, i += 3) {
      const m = sm[p];
      if (m < 2) continue;
      const f = 1 - (strength * m) / 255;
      out[i] *= f;
      out[i + 1] *= f;
      out[i + 2] *= f;
    }
  }

  // -- the card itself (rounded corners unless photocopy, which copies a rectangle region)
  const radius = (36 / 1000) * cw;
  warpInto({ data: cardPx, width: cw, height: ch, channels: 3 }, dst, Hm, { cornerRadius: radius });

  // -- lighting, glare, colour cast, screen patterns, noise (one pass)
  const glareOn = opts.glare ?? (attack === 'screen' ? rng.bool(0.8) : rng.bool(L.glare));
  const centre = mapPoint(Hm, [cw * rng.uniform(0.15, 0.85), ch * rng.uniform(0.15, 0.85)]);
  const glare = glareOn ? { x: centre[0], y: centre[1], radius: cw * k * rng.uniform(0.08, 0.3), strength: opts.glareStrength ?? rng.uniform(60, 200) } : null;
  const shadowOn = opts.shadow ?? rng.bool(L.shadow);
  const shadow = shadowOn ? { angle: rng.uniform(0, 360), strength: rng.uniform(0.15, 0.5) } : null;
  const gain =
    attack === 'screen'
      ? [rng.uniform(0.9, 1.0), rng.uniform(0.95, 1.05), rng.uniform(1.02, 1.15)]
      : [rng.uniform(0.92, 1.08), rng.uniform(0.95, 1.05), rng.uniform(0.88, 1.06)];
  const noiseSigma = opts.noise ?? rng.uniform(L.noise[0], L.noise[1]);
  const sdx = shadow ? Math.cos((shadow.angle * Math.PI) / 180) : 0;
  const sdy = shadow ? Math.sin((shadow.angle * Math.PI) / 180) : 0;
  const diag = Math.hypot(W, H);
  // screen: RGB subpixel stripes + row gaps at a pitch the camera does not resolve → moiré
  const pitch = rng.uniform(2.3, 4.6);
  const phi = rng.uniform(-0.08, 0.08);
  const moireF = rng.uniform(0.01, 0.04);
  const moireA = rng.uniform(0, Math.PI);
  const cphi = Math.cos(phi);
  const sphi = Math.sin(phi);
  const cmo = Math.cos(moireA);
  const smo = Math.sin(moireA);
  let gi = rng.int(0, 65535);
  const gstep = 7919;
  const grey = attack === 'photocopy';
  for (let y = 0, i = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i += 3) {
      let r = out[i] * gain[0];
      let g = out[i + 1] * gain[1];
      let b = out[i + 2] * gain[2];
      if (shadow) {
        const t = ((x - W / 2) * sdx + (y - H / 2) * sdy) / diag + 0.5; // 0..1 across the image
        const f = 1 - shadow.strength * (t < 0 ? 0 : t > 1 ? 1 : t);
        r *= f;
        g *= f;
        b *= f;
      }
      if (attack === 'screen') {
        const u = (x * cphi + y * sphi) / pitch;
        const v = (-x * sphi + y * cphi) / pitch;
        const fu = ((u - Math.floor(u)) * 256) | 0;
        const fv = ((v - Math.floor(v)) * 256) | 0;
        const row = ROW_LUT[fv];
        const mm = moireF * (x * cmo + y * smo);
        const mo = 1 + 0.1 * SIN_LUT[((((mm / (2 * Math.PI)) % 1) + 1) * 1024) & 1023];
        r *= SUB_LUT[fu] * row * mo;
        g *= SUB_LUT[(fu + 171) & 255] * row * mo;
        b *= SUB_LUT[(fu + 85) & 255] * row * mo;
      }
      if (glare) {
        const d2 = ((x - glare.x) ** 2 + (y - glare.y) ** 2) / (glare.radius * glare.radius);
        if (d2 < 9) {
          const a = glare.strength * Math.exp(-d2);
          r += a;
          g += a;
          b += a;
        }
      }
      if (noiseSigma > 0) {
        gi = (gi + gstep) & 65535;
        const nl = GAUSS[gi] * noiseSigma;
        gi = (gi + gstep) & 65535;
        r += nl + GAUSS[gi] * noiseSigma * 0.4;
        gi = (gi + gstep) & 65535;
        g += nl + GAUSS[gi] * noiseSigma * 0.4;
        gi = (gi + gstep) & 65535;
        b += nl + GAUSS[gi] * noiseSigma * 0.4;
      }
      if (grey) {
        const v = 0.299 * r + 0.587 * g + 0.114 * b;
        r = g = b = v;
      }
      out[i] = r;
      out[i + 1] = g;
      out[i + 2] = b;
    }
    gi = (gi + 104729 * (y + 1)) & 65535;
  }

  // -- optics and encoding: blur / motion blur, resolution loss, JPEG
  const blurSigma = opts.blur ?? rng.uniform(L.blur[0], L.blur[1]);
  const motion = rng.bool(L.motion) ? rng.int(3, level === 'heavy' ? 9 : 5) : 0;
  const resample = rng.uniform(L.resample[0], L.resample[1]);
  const jpegQuality = Math.round(opts.jpegQuality ?? rng.uniform(L.q[0], L.q[1]));
  let img = sharp(Buffer.from(out.buffer, out.byteOffset, out.byteLength), { raw: { width: W, height: H, channels: 3 } });
  if (blurSigma >= 0.3) img = img.blur(blurSigma);
  if (motion) {
    const ang = rng.uniform(0, Math.PI);
    const size = motion % 2 ? motion : motion + 1;
    const kernel = new Array(size * size).fill(0);
    for (let t = 0; t < size; t++) {
      const px = Math.round((size - 1) / 2 + Math.cos(ang) * (t - (size - 1) / 2));
      const py = Math.round((size - 1) / 2 + Math.sin(ang) * (t - (size - 1) / 2));
      kernel[py * size + px] = 1;
    }
    const sum = kernel.reduce((a, v) => a + v, 0);
    img = sharp(await img.raw().toBuffer(), { raw: { width: W, height: H, channels: 3 } }).convolve({ width: size, height: size, kernel, scale: sum });
  }
  if (resample < 0.97) {
    const small = await img
      .resize(Math.round(W * resample), Math.round(H * resample), { kernel: 'cubic' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    img = sharp(small.data, { raw: { width: small.info.width, height: small.info.height, channels: 3 } }).resize(W, H, { kernel: 'cubic' });
  }
  if (grey) img = img.toColourspace('b-w');
  const image = await img.jpeg({ quality: jpegQuality, chromaSubsampling: jpegQuality > 85 ? '4:4:4' : '4:2:0', mozjpeg: false }).toBuffer();

  return {
    image,
    transform: {
      width: W,
      height: H,
      corners: corners.map(([x, y]) => [+x.toFixed(2), +y.toFixed(2)]) as [Point, Point, Point, Point],
      homography: Hm.map((v) => +v.toPrecision(10)) as Mat3,
      rightAngle,
      rotation: +(((rotation % 360) + 360) % 360).toFixed(2),
      scale: +scale.toFixed(4),
      perspective: +persp.toFixed(4),
      background: bgKind,
      blur: +(blurSigma >= 0.3 ? blurSigma : 0).toFixed(3),
      motionBlur: motion,
      noise: +noiseSigma.toFixed(3),
      jpegQuality,
      resample: +(resample < 0.97 ? resample : 1).toFixed(3),
      glare: glare && { x: +glare.x.toFixed(1), y: +glare.y.toFixed(1), radius: +glare.radius.toFixed(1), strength: +glare.strength.toFixed(1) },
      shadow: shadow && { angle: +shadow.angle.toFixed(1), strength: +shadow.strength.toFixed(3) },
      attack,
      level,
    },
  };
}
