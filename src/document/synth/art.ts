/**
 * Procedural artwork of the synthetic Egyptian ID card: printed backgrounds with guilloche-like
 * security line patterns, the pyramids/sphinx scene, the hologram panel, the coat of arms, the
 * Tutankhamun stamp, the faint Akhenaten sun-ray drawing, the 2D barcode and a neutral portrait.
 * Everything is drawn from a seeded Rng; nothing is copied from real cards.
 */
import { Canvas, svgToRgba, type Rgba } from './canvas.js';
import { Rng } from './rng.js';

const W = 1000;
const H = 631;

const clamp = (v: number, a = 0, b = 255) => (v < a ? a : v > b ? b : v);
const smooth = (e0: number, e1: number, x: number) => {
  const t = clamp((x - e0) / (e1 - e0), 0, 1);
  return t * t * (3 - 2 * t);
};

/** Guilloche intensity 0..1 at (x, y): interleaved families of thin wavy lines. */
function pow12(u: number): number {
  const u2 = u * u;
  const u4 = u2 * u2;
  return u4 * u4 * u4;
}

function guilloche(x: number, y: number, ph: number, p: { f1: number; f2: number; a1: number; a2: number; sharp: number }): number {
  const u = 0.5 + 0.5 * Math.sin(x / p.f1 + p.a1 * Math.sin(y / 23 + ph) + ph * 0.7);
  const v = 0.5 + 0.5 * Math.sin(y / p.f2 + p.a2 * Math.sin(x / 31 + ph * 1.3));
  const w = 0.5 + 0.5 * Math.sin((x + y) / (p.f1 * 1.7) + 2.2 * Math.sin((x - y) / 57 + ph * 0.4));
  const a = pow12(u);
  const b = pow12(v);
  const c = 0.6 * pow12(w);
  return a > b ? (a > c ? a : c) : b > c ? b : c;
}

const FIELD_CACHE = new Map<string, Uint8Array>();
/** Number of distinct cached guilloche / artwork variants per side (keeps generation fast). */
export const ART_VARIANTS = 4;

/** Cached guilloche intensity field (0..255) for a variant. */
function guillocheField(kind: 'front' | 'back' | 'band', variant: number): Uint8Array {
  const key = `${kind}:${variant % ART_VARIANTS}`;
  const hit = FIELD_CACHE.get(key);
  if (hit) return hit;
  const r = new Rng(1000 + (variant % ART_VARIANTS) * 7 + (kind === 'back' ? 1 : kind === 'band' ? 2 : 0));
  const ph = r.uniform(0, 6.28);
  const p = { f1: r.uniform(2.6, 3.4), f2: r.uniform(2.8, 3.6), a1: r.uniform(2, 3.5), a2: r.uniform(2, 3.5), sharp: kind === 'back' ? 14 : 12 };
  const f = new Uint8Array(W * H);
  let i = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++, i++) {
      if (kind === 'band') {
        if (y < 0.86 * H) continue;
        const rope = 0.5 + 0.5 * Math.sin(x / 4.2 + 3 * Math.sin((y - 0.93 * H) / 9 + x / 40 + ph));
        const rope2 = 0.5 + 0.5 * Math.sin(x / 5.1 - 3 * Math.sin((y - 0.93 * H) / 8 - x / 33 + ph));
        const r3 = rope * rope * rope;
        const q3 = rope2 * rope2 * rope2;
        f[i] = Math.round(255 * Math.max(r3 * r3, q3 * q3));
      } else f[i] = Math.round(255 * guilloche(x, y, ph, p));
    }
  FIELD_CACHE.set(key, f);
  return f;
}

/** Front background: pale blue/lilac upper area, warm sand lower area, blue guilloche band at the bottom. */
export function paintFrontBackground(c: Canvas, rng: Rng, tone: number, phase: number): void {
  const field = guillocheField('front', phase);
  const bandField = guillocheField('band', phase);
  const strength = rng.uniform(0.8, 1.2);
  const top = [205 + 8 * tone, 213 + 5 * tone, 232 - 3 * tone];
  const mid = [228 + 4 * tone, 226 + 3 * tone, 234];
  const sand = [238, 222 + 4 * tone, 196 + 6 * tone];
  const band = [196, 210, 232];
  c.shade((x, y, out) => {
    const ny = y / H;
    const nx = x / W;
    // vertical blend: blue-grey top → light middle → warm sand bottom (right side more sand)
    const tSand = smooth(0.45, 0.8, ny + 0.1 * (nx - 0.5));
    const tMid = smooth(0.05, 0.5, ny);
    let r = top[0] + (mid[0] - top[0]) * tMid;
    let g = top[1] + (mid[1] - top[1]) * tMid;
    let b = top[2] + (mid[2] - top[2]) * tMid;
    r += (sand[0] - r) * tSand * 0.8;
    g += (sand[1] - g) * tSand * 0.8;
    b += (sand[2] - b) * tSand * 0.8;
    // fine security lines everywhere (low contrast)
    const gl = (field[y * W + x] / 255) * strength;
    r -= 12 * gl;
    g -= 9 * gl;
    b -= 4 * gl;
    // bottom band (y > .875): stronger blue rope pattern
    if (ny > 0.872) {
      const t = smooth(0.872, 0.885, ny);
      const v = bandField[y * W + x] / 255;
      const br = band[0] - 40 * v;
      const bg = band[1] - 30 * v;
      const bb = band[2] - 10 * v;
      r += (br - r) * t;
      g += (bg - g) * t;
      b += (bb - b) * t;
    }
    out[0] = r;
    out[1] = g;
    out[2] = b;
  });
}

/** Pyramids and sphinx: warm sand-coloured shapes with a soft vertical gradient, as an SVG layer. */
const LAYER_CACHE = new Map<string, Promise<Rgba>>();
function cached(key: string, make: () => Promise<Rgba>): Promise<Rgba> {
  let p = LAYER_CACHE.get(key);
  if (!p) {
    p = make();
    LAYER_CACHE.set(key, p);
  }
  return p;
}

/** Pyramids and sphinx layer for a variant (cached; ART_VARIANTS distinct variants). */
export function pyramidsLayer(variant: number): Promise<Rgba> {
  const v = ((variant % ART_VARIANTS) + ART_VARIANTS) % ART_VARIANTS;
  return cached(`pyr:${v}`, () => makePyramids(new Rng(2000 + v)));
}

async function makePyramids(rng: Rng): Promise<Rgba> {
  const j = () => rng.uniform(-8, 8);
  const grad = `
    <linearGradient id="pyr" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f0c890"/><stop offset="0.6" stop-color="#e8b470"/><stop offset="1" stop-color="#f2dcb8"/></linearGradient>
    <linearGradient id="pyr2" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#e9b26a"/><stop offset="0.5" stop-color="#f3d3a3"/><stop offset="1" stop-color="#eec48a"/></linearGradient>
    <linearGradient id="sph" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e2a862"/><stop offset="1" stop-color="#f1d2a4"/></linearGradient>
    <linearGradient id="fade" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="0.75" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#f6efe4" stop-opacity="0.9"/></linearGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="1.6"/></filter>
    <pattern id="stripes" width="6" height="4" patternUnits="userSpaceOnUse"><rect width="6" height="2" fill="#c98a45" opacity="0.22"/></pattern>`;
  const big = `${665 + j()},${150 + j()} ${900 + j()},${470} ${430 + j()},${470}`;
  const right = `${960 + j()},${195 + j()} ${1000},${250} ${1000},${470} ${820},${470}`;
  const small = `${370 + j()},${283 + j()} ${470},${400} ${270},${400}`;
  // sphinx seen from the front-left: nemes headdress flaring over the shoulders, chest, paws, and the
  // lying body receding to the right
  const sx = 430 + rng.uniform(-10, 10);
  const sphinx = [
    `M ${sx + 45} 330 L ${sx + 62} 236 Q ${sx + 70} 206 ${sx + 95} 203 Q ${sx + 120} 206 ${sx + 128} 236 L ${sx + 145} 330 Z`,
    `M ${sx + 28} 330 L ${sx + 162} 330 L ${sx + 176} 430 L ${sx + 14} 430 Z`,
    `M ${sx + 150} 336 Q ${sx + 210} 345 ${sx + 262} 372 L ${sx + 270} 470 L ${sx + 160} 470 Z`,
    `M ${sx - 20} 430 L ${sx + 210} 430 L ${sx + 214} 470 L ${sx - 24} 470 Z`,
  ].join(' ');
  const face = `M ${sx + 76} 238 L ${sx + 114} 238 L ${sx + 112} 292 Q ${sx + 95} 304 ${sx + 78} 292 Z`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs>${grad}</defs>
    <g filter="url(#soft)" opacity="0.92">
      <polygon points="${right}" fill="url(#pyr2)"/>
      <polygon points="${big}" fill="url(#pyr)"/>
      <polygon points="${small}" fill="url(#pyr)"/>
      <rect x="80" y="395" width="920" height="120" fill="#efcf9f" opacity="0.75"/>
      <path d="${sphinx}" fill="url(#sph)"/>
      <rect x="80" y="330" width="920" height="190" fill="url(#stripes)"/>
      <path d="${face}" fill="#d99a58" opacity="0.6"/>
      <path d="M ${sx + 84} 258 L ${sx + 92} 258 M ${sx + 99} 258 L ${sx + 107} 258 M ${sx + 95} 262 L ${sx + 95} 276 M ${sx + 88} 284 L ${sx + 102} 284" stroke="#b97838" stroke-width="2.5" opacity="0.7"/>
      ${Array.from({ length: 6 }, (_, k) => `<path d="M ${sx + 48 + k * 0} ${250 + k * 14} L ${sx + 70} ${250 + k * 14} M ${sx + 120} ${250 + k * 14} L ${sx + 142} ${250 + k * 14}" stroke="#c98a45" stroke-width="3" opacity="0.45"/>`).join('')}
      <path d="M ${sx + 150} 336 Q ${sx + 210} 345 ${sx + 262} 372 L ${sx + 270} 470 L ${sx + 160} 470 Z" fill="#c98a45" opacity="0.25"/>
      <rect x="0" y="300" width="${W}" height="260" fill="url(#fade)"/>
    </g></svg>`;
  return svgToRgba(svg);
}

/** The grey hologram panel (lower left) with fine horizontal lines and a rainbow sheen. */
export function paintHologram(c: Canvas, box: { x0: number; y0: number; x1: number; y1: number }, rng: Rng): void {
  const { x0, y0, x1, y1 } = box;
  const hue = rng.uniform(0, 6.28);
  const d = c.data;
  for (let y = Math.round(y0); y < Math.round(y1); y++)
    for (let x = Math.round(x0); x < Math.round(x1); x++) {
      const i = (y * c.width + x) * 3;
      const edge = Math.min(x - x0, x1 - x, y - y0, y1 - y);
      const a = smooth(0, 6, edge) * 0.85;
      const line = 0.5 + 0.5 * Math.sin(y * 1.9 + Math.sin(x / 35) * 2);
      const base = 168 + 18 * line;
      const rb = Math.sin(x / 60 + hue) * 10;
      const rr = base + rb;
      const gg = base - 4 + Math.sin(x / 60 + hue + 2) * 8;
      const bb = base - 14 + Math.sin(x / 60 + hue + 4) * 8;
      d[i] = d[i] + (rr - d[i]) * a;
      d[i + 1] = d[i + 1] + (gg - d[i + 1]) * a;
      d[i + 2] = d[i + 2] + (bb - d[i + 2]) * a;
    }
}

/** A stylised coat-of-arms eagle (Eagle of Saladin) as SVG markup, in a 100×120 box. */
function eagleMarkup(color: string, withShield: boolean, opacity = 1): string {
  const wing = (s: number) =>
    `<path transform="translate(50 0) scale(${s} 1) translate(-50 0)" d="M 50 40 Q 30 20 8 30 Q 14 45 10 60 Q 18 58 16 75 Q 26 70 28 88 Q 36 82 42 92 L 50 70 Z" fill="${color}"/>` +
    Array.from({ length: 5 }, (_, k) => `<path transform="translate(50 0) scale(${s} 1) translate(-50 0)" d="M ${14 + k * 6} ${34 + k * 9} L ${44} ${52 + k * 6}" stroke="#000" stroke-opacity="0.25" stroke-width="1.2"/>`).join('');
  const shield = withShield
    ? `<path d="M 38 48 L 62 48 L 62 78 Q 50 92 38 78 Z" fill="#fff"/><path d="M 38 48 L 46 48 L 46 86 Q 41 83 38 78 Z" fill="#c8202a"/><path d="M 54 48 L 62 48 L 62 78 Q 59 83 54 86 Z" fill="#111"/><circle cx="50" cy="62" r="3.5" fill="${color}"/>`
    : `<path d="M 38 48 L 62 48 L 62 78 Q 50 92 38 78 Z" fill="${color}" opacity="0.7"/>`;
  return `<g opacity="${opacity}">${wing(1)}${wing(-1)}
    <ellipse cx="50" cy="24" rx="8" ry="10" fill="${color}"/><path d="M 50 14 Q 60 14 62 22 L 56 24 Z" fill="${color}"/>
    <path d="M 44 30 L 56 30 L 58 48 L 42 48 Z" fill="${color}"/>${shield}
    <path d="M 30 96 Q 50 104 70 96 L 72 104 Q 50 112 28 104 Z" fill="${color}" opacity="0.85"/>
    <path d="M 40 90 L 36 100 M 60 90 L 64 100" stroke="${color}" stroke-width="3"/></g>`;
}

export async function eagleLayer(width: number, height: number, color: string, withShield: boolean, opacity = 1): Promise<Rgba> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 100 115" preserveAspectRatio="none">${eagleMarkup(color, withShield, opacity)}</svg>`;
  return svgToRgba(svg);
}

/** Back background: cream upper part with fine lines, white lower part for the barcode. */
export function paintBackBackground(c: Canvas, rng: Rng, tone: number, phase: number): void {
  const field = guillocheField('back', phase);
  const strength = rng.uniform(0.8, 1.2);
  const cream = [240 + 3 * tone, 232 + 2 * tone, 216 - 4 * tone];
  const white = [244, 244, 241];
  c.shade((x, y, out) => {
    const ny = y / H;
    const nx = x / W;
    const t = smooth(0.545, 0.575, ny);
    const gl = (field[y * W + x] / 255) * strength * (1 - t);
    // slight pinkish vignette in the upper part
    const pink = 6 * Math.exp(-((nx - 0.5) ** 2) * 6) * (1 - t);
    out[0] = cream[0] + (white[0] - cream[0]) * t - 14 * gl + pink;
    out[1] = cream[1] + (white[1] - cream[1]) * t - 14 * gl - pink * 0.5;
    out[2] = cream[2] + (white[2] - cream[2]) * t - 10 * gl;
  });
}

/** The faint brown Akhenaten sun-disc drawing in the middle of the back. */
export function sunDrawingLayer(variant: number): Promise<Rgba> {
  const v = ((variant % ART_VARIANTS) + ART_VARIANTS) % ART_VARIANTS;
  return cached(`sun:${v}`, () => makeSun(new Rng(3000 + v)));
}

async function makeSun(rng: Rng): Promise<Rgba> {
  const cx = 500 + rng.uniform(-10, 10);
  const rays = Array.from({ length: 17 }, (_, k) => {
    const a = Math.PI * (0.15 + (0.7 * k) / 16);
    const x2 = cx + Math.cos(a) * 190;
    const y2 = 40 + Math.sin(a) * 190;
    return `<line x1="${cx}" y1="40" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#9a6a50" stroke-width="2"/><circle cx="${x2.toFixed(1)}" cy="${y2.toFixed(1)}" r="3" fill="#9a6a50"/>`;
  }).join('');
  const figure = (x: number, flip: number) =>
    `<g transform="translate(${x} 0) scale(${flip} 1)"><ellipse cx="0" cy="120" rx="16" ry="20" fill="none" stroke="#9a6a50" stroke-width="3"/><path d="M -20 140 Q -30 200 -22 240 L 30 240 Q 40 200 20 140 Z" fill="none" stroke="#9a6a50" stroke-width="3"/><path d="M -26 240 L -30 300 L 40 300 L 36 240" fill="none" stroke="#9a6a50" stroke-width="3"/><rect x="-40" y="240" width="10" height="60" fill="none" stroke="#9a6a50" stroke-width="2"/></g>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><g opacity="0.45">
      <circle cx="${cx}" cy="40" r="22" fill="none" stroke="#9a6a50" stroke-width="3"/>${rays}
      ${figure(cx - 85, 1)}${figure(cx + 85, -1)}
      <rect x="${cx - 150}" y="300" width="300" height="10" fill="#9a6a50" opacity="0.6"/>
    </g></svg>`;
  return svgToRgba(svg);
}

/** The Tutankhamun-mask stamp (top-left of the back): pinked border, striped blue field, golden mask. */
export async function pharaohLayer(rng: Rng, w: number, h: number): Promise<Rgba> {
  const teeth = 18;
  const pts: string[] = [];
  const pk = (x0: number, y0: number, x1: number, y1: number, nx: number, ny: number) => {
    for (let k = 0; k <= teeth; k++) {
      const t = k / teeth;
      const x = x0 + (x1 - x0) * t;
      const y = y0 + (y1 - y0) * t;
      const o = k % 2 ? 4 : 0;
      pts.push(`${(x + nx * o).toFixed(1)},${(y + ny * o).toFixed(1)}`);
    }
  };
  pk(4, 4, 196, 4, 0, -1);
  pk(196, 4, 196, 196, 1, 0);
  pk(196, 196, 4, 196, 0, 1);
  pk(4, 196, 4, 4, -1, 0);
  const stripes = Array.from({ length: 14 }, (_, k) => `<rect x="22" y="${22 + k * 11.5}" width="156" height="5" fill="${k % 2 ? '#b06aa0' : '#4a4a9a'}" opacity="0.8"/>`).join('');
  const hue = rng.uniform(-10, 10);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 200 200" preserveAspectRatio="none">
    <polygon points="${pts.join(' ')}" fill="#ecc2a8" opacity="0.9"/>
    <rect x="20" y="20" width="160" height="160" fill="#3c3f7c"/>${stripes}
    <g transform="translate(${100 + hue * 0.2} 0)">
      <path d="M -52 175 L -48 70 Q -45 30 0 26 Q 45 30 48 70 L 52 175 Z" fill="#2c3470"/>
      ${Array.from({ length: 9 }, (_, k) => `<path d="M ${-48 + k * 1} ${70 + k * 12} L ${-20} ${74 + k * 12} M ${20} ${74 + k * 12} L ${48 - k * 1} ${70 + k * 12}" stroke="#e8c84a" stroke-width="5"/>`).join('')}
      <path d="M -24 60 Q 0 44 24 60 L 24 120 Q 0 140 -24 120 Z" fill="#e9cf58"/>
      <path d="M -14 84 L -6 84 M 6 84 L 14 84" stroke="#222" stroke-width="4"/>
      <path d="M -2 90 L -4 108 L 4 108" stroke="#a08020" stroke-width="2" fill="none"/>
      <path d="M -8 116 L 8 116" stroke="#7a4a20" stroke-width="3"/>
      <path d="M -8 130 L 8 130 L 4 168 L -4 168 Z" fill="#2c3470" stroke="#e8c84a" stroke-width="2"/>
      <path d="M -30 60 Q 0 20 30 60" stroke="#e8c84a" stroke-width="4" fill="none"/>
      <circle cx="0" cy="44" r="5" fill="#e8c84a"/>
    </g></svg>`;
  return svgToRgba(svg);
}

/** Draw a PDF417-like 2D barcode into the canvas box (black modules, start/stop patterns). */
export function paintBarcode(c: Canvas, box: { x0: number; y0: number; x1: number; y1: number }, rng: Rng): void {
  const d = c.data;
  const fillRect = (x0: number, y0: number, x1: number, y1: number, v: number) => {
    for (let y = Math.max(0, Math.round(y0)); y < Math.min(c.height, Math.round(y1)); y++)
      for (let x = Math.max(0, Math.round(x0)); x < Math.min(c.width, Math.round(x1)); x++) {
        const i = (y * c.width + x) * 3;
        d[i] = v;
        d[i + 1] = v;
        d[i + 2] = v;
      }
  };
  const { x0, y0, x1, y1 } = box;
  const ink = 22;
  // start pattern: thick bar + 3 thin bars; stop pattern mirrored with an extra bar
  let x = x0;
  const bar = (w: number, gap: number) => {
    fillRect(x, y0, x + w, y1, ink);
    x += w + gap;
  };
  bar(12, 3);
  bar(2.5, 3);
  bar(2.5, 3);
  bar(2.5, 6);
  const dataX0 = x;
  let xe = x1;
  const barR = (w: number, gap: number) => {
    fillRect(xe - w, y0, xe, y1, ink);
    xe -= w + gap;
  };
  barR(2.5, 3);
  barR(2.5, 3);
  barR(2.5, 3);
  barR(12, 6);
  const dataX1 = xe;
  const cols = 17;
  const colW = (dataX1 - dataX0) / cols;
  const mod = 3.1;
  const rowH = rng.uniform(3.6, 4.4);
  for (let k = 0; k < cols; k++) {
    const cx0 = dataX0 + k * colW;
    const cx1 = cx0 + colW - 4;
    // row indicator columns (first/last) are denser
    for (let yy = y0; yy < y1 - 1; yy += rowH) {
      for (let xx = cx0; xx < cx1; xx += mod) {
        if (rng.next() < 0.5) fillRect(xx, yy, xx + mod, yy + rowH, ink);
      }
    }
    // thin separator bar at the start of each codeword column
    fillRect(cx0, y0, cx0 + 1.5, y1, ink);
  }
}

/**
 * A neutral procedurally drawn face-like silhouette (greyscale, RGBA with soft alpha edges) for the
 * portrait. Male: short hair; female: hijab (common on Egyptian cards) or long hair.
 */
export async function defaultPortrait(rng: Rng, w: number, h: number, gender: 'male' | 'female'): Promise<Rgba> {
  const skin = Math.round(rng.uniform(150, 200));
  const s = (v: number) => {
    const c = clamp(Math.round(v));
    return `rgb(${c},${c},${c})`;
  };
  const hair = s(rng.uniform(20, 60));
  const shirt = s(rng.uniform(30, 200));
  const faceW = rng.uniform(30, 35);
  const faceH = faceW * rng.uniform(1.25, 1.4);
  const cx = 50 + rng.uniform(-3, 3);
  const cy = 45 + rng.uniform(-3, 3);
  const hijab = gender === 'female' && rng.bool(0.7);
  const eyeY = cy - faceH * 0.08;
  const eyeDx = faceW * 0.38;
  const headwear = hijab
    ? (() => {
        const v = rng.uniform(75, 205);
        return `<linearGradient id="hj" x1="0" y1="0" x2="1" y2="0.3"><stop offset="0" stop-color="${s(v - 25)}"/><stop offset="0.45" stop-color="${s(v + 15)}"/><stop offset="1" stop-color="${s(v - 35)}"/></linearGradient>
          <path d="M ${cx - faceW - 8} ${cy + faceH + 40} Q ${cx - faceW - 10} ${cy - faceH - 14} ${cx} ${cy - faceH - 12} Q ${cx + faceW + 10} ${cy - faceH - 14} ${cx + faceW + 8} ${cy + faceH + 40} Z" fill="url(#hj)"/>
          <path d="M ${cx - faceW * 0.7} ${cy + faceH * 1.05} Q ${cx} ${cy + faceH * 1.35} ${cx + faceW * 0.7} ${cy + faceH * 1.05}" stroke="${s(v - 40)}" stroke-width="1.5" fill="none" opacity="0.6"/>`;
      })()
    : gender === 'female'
      ? `<path d="M ${cx - faceW - 6} ${cy + faceH + 25} Q ${cx - faceW - 12} ${cy - faceH - 10} ${cx} ${cy - faceH - 8} Q ${cx + faceW + 12} ${cy - faceH - 10} ${cx + faceW + 6} ${cy + faceH + 25} Z" fill="${hair}"/>`
      : `<path d="M ${cx - faceW * 1.02} ${cy - faceH * 0.2} Q ${cx - faceW * 1.12} ${cy - faceH * 1.18} ${cx} ${cy - faceH * 1.1} Q ${cx + faceW * 1.12} ${cy - faceH * 1.18} ${cx + faceW * 1.02} ${cy - faceH * 0.2} Q ${cx + faceW * 0.85} ${cy - faceH * 0.62} ${cx} ${cy - faceH * 0.7} Q ${cx - faceW * 0.85} ${cy - faceH * 0.62} ${cx - faceW * 1.02} ${cy - faceH * 0.2} Z" fill="${hair}"/>`;
  // long hair and the hijab go behind the face; short hair (and a fringe for long hair) in front
  const behind = gender === 'female';
  const fringe = hijab
    ? ''
    : `<path d="M ${cx - faceW * 1.0} ${cy - faceH * 0.35} Q ${cx - faceW * 0.9} ${cy - faceH * 1.12} ${cx} ${cy - faceH * 1.08} Q ${cx + faceW * 0.9} ${cy - faceH * 1.12} ${cx + faceW * 1.0} ${cy - faceH * 0.35} Q ${cx + faceW * 0.5} ${cy - faceH * 0.8} ${cx - faceW * 0.2} ${cy - faceH * 0.72} Q ${cx - faceW * 0.7} ${cy - faceH * 0.65} ${cx - faceW * 1.0} ${cy - faceH * 0.35} Z" fill="${hair}"/>`;
  const ears = hijab ? '' : `<ellipse cx="${cx - faceW * 0.98}" cy="${cy - faceH * 0.02}" rx="${faceW * 0.14}" ry="${faceH * 0.16}" fill="${s(skin - 30)}"/><ellipse cx="${cx + faceW * 0.98}" cy="${cy - faceH * 0.02}" rx="${faceW * 0.14}" ry="${faceH * 0.16}" fill="${s(skin - 30)}"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 100 130" preserveAspectRatio="none">
    <defs>
      <radialGradient id="face" cx="0.45" cy="0.4" r="0.7"><stop offset="0" stop-color="${s(skin + 25)}"/><stop offset="1" stop-color="${s(skin - 35)}"/></radialGradient>
      <linearGradient id="fadeb" x1="0" y1="0" x2="0" y2="1"><stop offset="0.7" stop-color="#fff" stop-opacity="1"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></linearGradient>
      <mask id="m"><rect width="100" height="130" fill="url(#fadeb)"/></mask>
      <filter id="b"><feGaussianBlur stdDeviation="0.6"/></filter>
    </defs>
    <g mask="url(#m)" filter="url(#b)">
      <path d="M 0 130 L 0 ${cy + faceH + 30} Q ${cx - 30} ${cy + faceH + 8} ${cx} ${cy + faceH + 12} Q ${cx + 30} ${cy + faceH + 8} 100 ${cy + faceH + 30} L 100 130 Z" fill="${shirt}"/>
      <rect x="${cx - faceW * 0.45}" y="${cy + faceH * 0.6}" width="${faceW * 0.9}" height="${faceH * 0.7}" fill="${s(skin - 30)}"/>
      ${behind ? headwear : ''}
      ${ears}
      <ellipse cx="${cx}" cy="${cy}" rx="${faceW}" ry="${faceH}" fill="url(#face)"/>
      ${behind ? fringe : headwear}
      <ellipse cx="${cx - eyeDx}" cy="${eyeY}" rx="${faceW * 0.16}" ry="${faceW * 0.07}" fill="${s(40)}"/>
      <ellipse cx="${cx + eyeDx}" cy="${eyeY}" rx="${faceW * 0.16}" ry="${faceW * 0.07}" fill="${s(40)}"/>
      <path d="M ${cx - eyeDx - 7} ${eyeY - 7} Q ${cx - eyeDx} ${eyeY - 10} ${cx - eyeDx + 7} ${eyeY - 7}" stroke="${s(50)}" stroke-width="2" fill="none"/>
      <path d="M ${cx + eyeDx - 7} ${eyeY - 7} Q ${cx + eyeDx} ${eyeY - 10} ${cx + eyeDx + 7} ${eyeY - 7}" stroke="${s(50)}" stroke-width="2" fill="none"/>
      <path d="M ${cx} ${eyeY + 3} L ${cx - 4} ${cy + faceH * 0.3} Q ${cx} ${cy + faceH * 0.36} ${cx + 4} ${cy + faceH * 0.3}" stroke="${s(skin - 60)}" stroke-width="1.4" fill="none"/>
      <path d="M ${cx - 9} ${cy + faceH * 0.55} Q ${cx} ${cy + faceH * (0.58 + rng.uniform(0, 0.06))} ${cx + 9} ${cy + faceH * 0.55}" stroke="${s(skin - 80)}" stroke-width="2" fill="none"/>
      ${gender === 'male' && rng.bool(0.3) ? `<path d="M ${cx - 10} ${cy + faceH * 0.45} Q ${cx} ${cy + faceH * 0.4} ${cx + 10} ${cy + faceH * 0.45}" stroke="${hair}" stroke-width="3" fill="none"/>` : ''}
    </g></svg>`;
  return svgToRgba(svg);
}

const BASE_CACHE = new Map<string, Promise<Uint8ClampedArray>>();

/**
 * The static printed artwork of a side for a variant (background, guilloche, pyramids + hologram panel
 * on the front; background, sun drawing, stamp and eagle on the back), cached per process.
 * Per-card variation (tone, barcode, text, portrait) is applied on top by the renderer.
 */
export function sideBase(side: 'front' | 'back', variant: number): Promise<Uint8ClampedArray> {
  const v = ((variant % ART_VARIANTS) + ART_VARIANTS) % ART_VARIANTS;
  const key = `${side}:${v}`;
  let p = BASE_CACHE.get(key);
  if (!p) {
    p = (async () => {
      const rng = new Rng(5000 + v * 13 + (side === 'back' ? 1 : 0));
      const c = new Canvas(W, H);
      if (side === 'front') {
        paintFrontBackground(c, rng, 0, v);
        c.blit(await pyramidsLayer(v), 0, 0, { opacity: 0.85 });
        paintHologram(c, { x0: 0.045 * W, y0: 0.695 * H, x1: 0.39 * W, y1: 0.865 * H }, rng);
      } else {
        paintBackBackground(c, rng, 0, v);
        c.blit(await sunDrawingLayer(v), 0, 0, { opacity: 0.7, mode: 'multiply' });
        c.blit(await pharaohLayer(rng, Math.round(0.195 * W), Math.round(0.35 * H)), 0.035 * W, 0.07 * H, { opacity: 0.95 });
        c.blit(await eagleLayer(Math.round(0.155 * W), Math.round(0.34 * H), '#b88a3a', true), 0.815 * W, 0.05 * H, { opacity: 0.95 });
      }
      return c.data;
    })();
    BASE_CACHE.set(key, p);
  }
  return p;
}

/** Per-card print variation: brightness/colour shift from `tone` (−1..1) applied in place. */
export function applyTone(c: Canvas, tone: number, warm: number): void {
  const d = c.data;
  const gr = 1 + 0.02 * tone + 0.01 * warm;
  const gg = 1 + 0.015 * tone;
  const gb = 1 + 0.02 * tone - 0.015 * warm;
  for (let i = 0; i < d.length; i += 3) {
    d[i] = d[i] * gr;
    d[i + 1] = d[i + 1] * gg;
    d[i + 2] = d[i + 2] * gb;
  }
}

const PORTRAIT_CACHE = new Map<string, Promise<Rgba>>();
/** Number of distinct default portraits per gender. */
export const PORTRAIT_VARIANTS = 24;

/** A cached default portrait for (gender, variant). */
export function defaultPortraitVariant(gender: 'male' | 'female', variant: number, w: number, h: number): Promise<Rgba> {
  const v = ((variant % PORTRAIT_VARIANTS) + PORTRAIT_VARIANTS) % PORTRAIT_VARIANTS;
  const key = `${gender}:${v}:${w}x${h}`;
  let p = PORTRAIT_CACHE.get(key);
  if (!p) {
    p = defaultPortrait(new Rng(7000 + v * 3 + (gender === 'female' ? 1 : 0)), w, h, gender);
    PORTRAIT_CACHE.set(key, p);
  }
  return p;
}
