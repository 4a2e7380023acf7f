/**
 * Finds the ID card in a photo and warps it to the canonical landscape card image.
 * Classical CV (OpenCV wasm): several binary maps (edges, Otsu of both polarities, colour distance from the
 * photo's border) each propose contours; the most card-like quadrilateral wins (area, rectangularity, the
 * ID-1 aspect ratio 85.6/54 ≈ 1.585). The 180° ambiguity is left to classify.ts, which looks at content.
 */
import type { OpenCV } from './cv.js';
import type { RawImage } from './image.js';
import { openEllipse } from './morphology.js';

export type Point = { x: number; y: number };
/** Corners in source pixels, ordered top-left, top-right, bottom-right, bottom-left of the landscape card. */
export type Quad = [Point, Point, Point, Point];

export interface CardCandidate {
  quad: Quad;
  /** 0..1, how card-like the outline is. */
  score: number;
  /**
   * Where the outline came from; 'corner' = two sides and the card's aspect (cornerQuads), only roughly where
   * the hidden sides are; 'layout' = moved by alignment with the printed layout (refine.ts); 'mask' = from the card
   * mask network's outline (card-net.ts).
   */
  method: 'contour' | 'lines' | 'corner' | 'frame' | 'layout' | 'mask';
  /** Short side of the card in source pixels (resolution check). */
  shortSidePx: number;
}

const ID1_ASPECT = 85.6 / 54;
const WORK_SIDE = 640;
/** Outline score needed to accept a card (rectangularity × aspect fit × size term). */
const MIN_CARD_SCORE = 0.4;
/** Inside/outside colour difference (RGB sum) along an outline's sides at which it counts in full. */
const EDGE_CONTRAST_FULL = 12;
/** Straight-edge finder: directions (bins over 180°) whose longest lines are always kept, and how many each. */
const ANGLE_BINS = 12;
const LINES_PER_BIN = 4;
/**
 * Largest angle (radians) between a card's opposite sides in the photo. Perspective tilts them apart: a heavy
 * capture of the calibration set (seed 3) had its long sides 0.17 apart, and at the earlier limit of 0.17 its
 * outline, on a dark desk next to a sheet of paper that merged with it in every mask, was never formed. Outlines
 * with sides more than PARALLEL_SIDES_ANGLE apart are kept as SKEWED_OUTLINES extras per pass.
 */
const OPPOSITE_SIDES_ANGLE = 0.25;
const PARALLEL_SIDES_ANGLE = 0.17;
const SKEWED_OUTLINES = 3;
/** Score factor of an outline built from two sides and the card's aspect (cornerQuads). */
const PARTIAL_OUTLINE = 0.75;
/**
 * Outlines built from two sides kept per photo: every outline costs a layout match in the engine (~12 ms), and
 * unlimited, they doubled the outlines per photo (10 → 19 on 80 eval captures) for +130 ms a scan.
 */
const MAX_CORNER_OUTLINES = 4;

function dist(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Orders 4 points clockwise from top-left, then rotates the order so the first edge is a long edge. */
export function orderQuad(pts: Point[]): Quad {
  const cx = pts.reduce((s, p) => s + p.x, 0) / 4;
  const cy = pts.reduce((s, p) => s + p.y, 0) / 4;
  const sorted = [...pts].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  // atan2 order in image coords (y down) is clockwise; start at the point with the smallest x+y.
  let start = 0;
  for (let i = 1; i < 4; i++) if (sorted[i]!.x + sorted[i]!.y < sorted[start]!.x + sorted[start]!.y) start = i;
  let q = [0, 1, 2, 3].map((i) => sorted[(start + i) % 4]!) as Quad;
  const top = dist(q[0], q[1]) + dist(q[2], q[3]);
  const side = dist(q[1], q[2]) + dist(q[3], q[0]);
  // Card held upright (portrait in the photo): start from bottom-left so the long edge becomes the top.
  if (side > top) q = [q[3], q[0], q[1], q[2]];
  return q;
}

function quadAspect(q: Quad): number {
  const w = (dist(q[0], q[1]) + dist(q[2], q[3])) / 2;
  const h = (dist(q[1], q[2]) + dist(q[3], q[0])) / 2;
  return w / Math.max(1, h);
}

function quadArea(q: Quad): number {
  let a = 0;
  for (let i = 0; i < 4; i++) {
    const p = q[i]!;
    const n = q[(i + 1) % 4]!;
    a += p.x * n.y - n.x * p.y;
  }
  return Math.abs(a) / 2;
}

function scoreQuad(q: Quad, contourArea: number, imgArea: number): number {
  const aspect = quadArea(q) > 0 ? quadAspect(q) : 0;
  const areaFrac = quadArea(q) / imgArea;
  if (areaFrac < 0.015 || areaFrac > 0.995) return 0;
  const rectangularity = Math.min(1, contourArea / Math.max(1, quadArea(q)));
  if (rectangularity < 0.75) return 0;
  const aspectFit = Math.exp(-Math.abs(Math.log(aspect / ID1_ASPECT)) * 6);
  return rectangularity * aspectFit * areaTerm(areaFrac);
}

/** Bigger outlines are preferred up to ~12 % of the photo; beyond that size says nothing more. */
function areaTerm(areaFrac: number): number {
  return 0.6 + 0.4 * Math.min(1, Math.sqrt(areaFrac / 0.12));
}

/** Candidate outlines from one binary map (255 = foreground). */
function contourQuads(cv: OpenCV, bin: OpenCV, imgArea: number, mode: number): { quad: Quad; score: number }[] {
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  cv.findContours(bin, contours, hierarchy, mode, cv.CHAIN_APPROX_SIMPLE);
  const out: { quad: Quad; score: number }[] = [];
  for (let i = 0; i < contours.size(); i++) {
    const c = contours.get(i);
    const area = cv.contourArea(c);
    if (area < imgArea * 0.012) {
      c.delete();
      continue;
    }
    const hull = new cv.Mat();
    cv.convexHull(c, hull, false, true);
    const peri = cv.arcLength(hull, true);
    let quad: Quad | undefined;
    for (const eps of [0.02, 0.035, 0.05]) {
      const approx = new cv.Mat();
      cv.approxPolyDP(hull, approx, eps * peri, true);
      if (approx.rows === 4) {
        const pts: Point[] = [];
        for (let k = 0; k < 4; k++) pts.push({ x: approx.data32S[k * 2], y: approx.data32S[k * 2 + 1] });
        quad = orderQuad(pts);
      }
      approx.delete();
      if (quad) break;
    }
    // Rounded corners or a clipped corner: fall back to the minimum-area rectangle around the outline.
    const rect = cv.minAreaRect(c);
    const box = cv.RotatedRect.points(rect) as Point[];
    const rectQuad = orderQuad(box.map((p) => ({ x: p.x, y: p.y })));
    for (const q of quad ? [quad, rectQuad] : [rectQuad]) {
      const score = scoreQuad(q, area, imgArea) * (q === rectQuad ? 0.95 : 1);
      if (score > 0) out.push({ quad: q, score });
    }
    hull.delete();
    c.delete();
  }
  contours.delete();
  hierarchy.delete();
  return out;
}

/** Finds the most card-like quadrilateral; null when nothing in the photo looks like a card. */
export function findCard(cv: OpenCV, img: RawImage): CardCandidate | null {
  return findCards(cv, img, 1)[0] ?? null;
}

/**
 * Up to `max` distinct card-like outlines, best first (a sheet of paper or a phone can look as card-like as
 * the card: the caller checks the content). The whole frame comes last when its shape is card-like, for
 * tight crops where the card fills the photo.
 */
export function findCards(cv: OpenCV, img: RawImage, max = 3): CardCandidate[] {
  const scale = Math.min(1, WORK_SIDE / Math.max(img.width, img.height));
  const src = cv.matFromArray(img.height, img.width, cv.CV_8UC3, img.data);
  const small = new cv.Mat();
  cv.resize(src, small, new cv.Size(Math.round(img.width * scale), Math.round(img.height * scale)), 0, 0, cv.INTER_AREA);
  src.delete();
  const W = small.cols;
  const H = small.rows;
  const smallRgb = new Uint8Array(small.data as Uint8Array);
  const imgArea = W * H;
  const grey = new cv.Mat();
  cv.cvtColor(small, grey, cv.COLOR_RGB2GRAY);
  cv.GaussianBlur(grey, grey, new cv.Size(5, 5), 0);
  const kernel = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(5, 5));
  const maps: OpenCV[] = [];

  const edges = new cv.Mat();
  cv.Canny(grey, edges, 30, 90);
  cv.dilate(edges, edges, kernel);
  cv.morphologyEx(edges, edges, cv.MORPH_CLOSE, kernel, new cv.Point(-1, -1), 2);
  maps.push(edges);

  for (const inv of [false, true]) {
    const t = new cv.Mat();
    cv.threshold(grey, t, 0, 255, (inv ? cv.THRESH_BINARY_INV : cv.THRESH_BINARY) + cv.THRESH_OTSU);
    cv.morphologyEx(t, t, cv.MORPH_OPEN, kernel, new cv.Point(-1, -1), 2);
    cv.morphologyEx(t, t, cv.MORPH_CLOSE, kernel, new cv.Point(-1, -1), 3);
    maps.push(t);
  }
  const bg = backgroundDistanceMaps(cv, small, kernel);
  maps.push(...bg.maps);

  const all: { quad: Quad; score: number; method: CardCandidate['method'] }[] = [];
  const consider = (m: OpenCV, mode: number) => {
    for (const cand of contourQuads(cv, m, imgArea, mode)) all.push({ ...cand, method: 'contour' });
  };
  // Edge map: every closed outline counts (the card's edge may sit inside a larger merged blob).
  consider(edges, cv.RETR_LIST);
  for (const m of maps.slice(1)) {
    consider(m, cv.RETR_EXTERNAL);
    // A wide opening cuts the card loose from touching objects of similar colour (papers, hands, table edges).
    // morphology.ts gives cv.morphologyEx's result with a 15×15 ellipse at a tenth of its cost here.
    const opened = cv.matFromArray(H, W, cv.CV_8UC1, openEllipse({ data: m.data as Uint8Array, width: W, height: H }, 15));
    consider(opened, cv.RETR_EXTERNAL);
    opened.delete();
  }
  for (const m of maps) m.delete();
  for (const cand of lineQuads(cv, grey, imgArea)) all.push(cand);
  // Straight edges of the colour-distance image: a light card on a similar light background shows its outline there.
  for (const cand of lineQuads(cv, bg.distance, imgArea)) all.push(cand);
  bg.distance.delete();
  grey.delete();
  small.delete();
  kernel.delete();

  // Outlines whose sides separate nothing (lines a texture happens to line up into a rectangle) are demoted.
  for (const c of all) c.score *= Math.min(1, 0.25 + edgeContrast(smallRgb, W, H, c.quad) / EDGE_CONTRAST_FULL);
  const out: CardCandidate[] = [];
  const minDim = Math.min(W, H);
  const centre = (q: Quad) => ({ x: (q[0].x + q[1].x + q[2].x + q[3].x) / 4, y: (q[0].y + q[1].y + q[2].y + q[3].y) / 4 });
  let corners = 0;
  for (const c of all.sort((a, b) => b.score - a.score)) {
    if (out.length >= max || c.score <= MIN_CARD_SCORE) break;
    if (c.method === 'corner' && corners >= MAX_CORNER_OUTLINES) continue;
    const cc = centre(c.quad);
    const same = out.some((o) => {
      const oc = centre(o.quad.map((p) => ({ x: p.x * scale, y: p.y * scale })) as Quad);
      const areaRatio = quadArea(c.quad) / Math.max(1, quadArea(o.quad) * scale * scale);
      if (!(Math.hypot(cc.x - oc.x, cc.y - oc.y) < minDim * 0.08 && areaRatio > 0.7 && areaRatio < 1.4)) return false;
      // Nearly the same outline, unless a side sits clearly elsewhere (the card edge vs. an inner panel's edge).
      const corner = Math.max(...c.quad.map((p) => Math.min(...o.quad.map((q) => Math.hypot(p.x - q.x * scale, p.y - q.y * scale)))));
      return corner < minDim * 0.04;
    });
    if (same) continue;
    const quad = c.quad.map((p) => ({ x: p.x / scale, y: p.y / scale })) as Quad;
    out.push({ quad, score: c.score, method: c.method, shortSidePx: shortSide(quad) });
    if (c.method === 'corner') corners++;
  }
  // A tight crop (the card fills the frame) has no outline to find: the frame itself is the last candidate.
  // Its shape need not be card-like: dataset tools and some apps squash the crop to a square, and the
  // content check (the NID line must read) decides whether it is a card.
  const frameAspect = Math.max(img.width, img.height) / Math.min(img.width, img.height);
  const frameCardLike = Math.abs(Math.log(frameAspect / ID1_ASPECT)) < 0.2;
  if (out.length < max || !frameCardLike) {
    const quad = orderQuad([
      { x: 0, y: 0 },
      { x: img.width - 1, y: 0 },
      { x: img.width - 1, y: img.height - 1 },
      { x: 0, y: img.height - 1 },
    ]);
    const frame: CardCandidate = { quad, score: frameCardLike ? 0.3 : 0.2, method: 'frame', shortSidePx: Math.min(img.width, img.height) };
    if (out.length >= max) out[max - 1] = frame;
    else out.push(frame);
  }
  return out;
}

interface LineGroup {
  /** Normal angle in [0, π) and offset of the line x·cosθ + y·sinθ = ρ. */
  theta: number;
  rho: number;
  /** Segments on this line as intervals of the position along the line direction. */
  spans: [number, number][];
  length: number;
}

/** Position of a point along a line of normal angle θ (direction (−sinθ, cosθ)). */
const along = (theta: number, x: number, y: number) => -x * Math.sin(theta) + y * Math.cos(theta);

function intersect(a: LineGroup, b: LineGroup): Point | null {
  const det = Math.cos(a.theta) * Math.sin(b.theta) - Math.sin(a.theta) * Math.cos(b.theta);
  if (Math.abs(det) < 1e-6) return null;
  return {
    x: (a.rho * Math.sin(b.theta) - b.rho * Math.sin(a.theta)) / det,
    y: (Math.cos(a.theta) * b.rho - Math.cos(b.theta) * a.rho) / det,
  };
}

/** Share of the side p→q covered by detected segments of its line. */
function coverage(g: LineGroup, p: Point, q: Point): number {
  let t0 = along(g.theta, p.x, p.y);
  let t1 = along(g.theta, q.x, q.y);
  if (t0 > t1) [t0, t1] = [t1, t0];
  const len = t1 - t0;
  if (len <= 0) return 0;
  const clipped = g.spans.map(([a, b]) => [Math.max(a, t0), Math.min(b, t1)] as [number, number]).filter(([a, b]) => b > a).sort((u, v) => u[0] - v[0]);
  let covered = 0;
  let end = -Infinity;
  for (const [a, b] of clipped) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  return covered / len;
}

/**
 * Card outline from straight edges (Hough segments): two roughly parallel pairs, roughly perpendicular to each
 * other, whose rectangle has the ID-1 aspect and whose four sides are well covered by edges. This survives
 * what defeats blob outlines: a card lying on or touching a sheet of paper of the same brightness.
 */
function lineQuads(cv: OpenCV, grey: OpenCV, imgArea: number): { quad: Quad; score: number; method: 'lines' | 'corner' }[] {
  // Soft (blurred, low-contrast) photos only give edges at lower thresholds.
  const strong = lineQuadsAt(cv, grey, imgArea, 40, 120);
  // A light card on a light background has faint edges: the strong pass may only find inner artwork rectangles.
  const passes = strong.fourSided.some((c) => c.score > MIN_CARD_SCORE) ? [strong] : [strong, lineQuadsAt(cv, grey, imgArea, 15, 45)];
  return passes.flatMap((p) => [...p.fourSided.map((c) => ({ ...c, method: 'lines' as const })), ...p.corners.map((c) => ({ ...c, method: 'corner' as const }))]);
}

function lineQuadsAt(cv: OpenCV, grey: OpenCV, imgArea: number, lo: number, hi: number): Record<'fourSided' | 'corners', { quad: Quad; score: number }[]> {
  const edges = new cv.Mat();
  cv.Canny(grey, edges, lo, hi);
  const lines = new cv.Mat();
  const minDim = Math.min(grey.cols, grey.rows);
  cv.HoughLinesP(edges, lines, 1, Math.PI / 180, 30, minDim * 0.08, 6);
  const groups: LineGroup[] = [];
  for (let i = 0; i < lines.rows; i++) {
    const [x1, y1, x2, y2] = [lines.data32S[i * 4], lines.data32S[i * 4 + 1], lines.data32S[i * 4 + 2], lines.data32S[i * 4 + 3]] as number[];
    let theta = Math.atan2(x2! - x1!, -(y2! - y1!));
    if (theta < 0) theta += Math.PI;
    if (theta >= Math.PI) theta -= Math.PI;
    const rho = x1! * Math.cos(theta) + y1! * Math.sin(theta);
    const len = Math.hypot(x2! - x1!, y2! - y1!);
    const g = groups.find((g) => {
      let d = Math.abs(g.theta - theta);
      d = Math.min(d, Math.PI - d);
      // Near θ≈0/π the same line flips the sign of ρ.
      const r = Math.abs(g.theta - theta) > Math.PI / 2 ? -rho : rho;
      return d < 0.05 && Math.abs(g.rho - r) < 4;
    });
    if (g) {
      const a = along(g.theta, x1!, y1!);
      const b = along(g.theta, x2!, y2!);
      g.spans.push([Math.min(a, b), Math.max(a, b)]);
      g.length += len;
    } else {
      const a = along(theta, x1!, y1!);
      const b = along(theta, x2!, y2!);
      groups.push({ theta, rho, spans: [[Math.min(a, b), Math.max(a, b)]], length: len });
    }
  }
  edges.delete();
  lines.delete();
  // Generous: barcode and text produce many long parallel segments that must not crowd out the card edges.
  const angleDiff = (a: LineGroup, b: LineGroup) => {
    const d = Math.abs(a.theta - b.theta);
    return Math.min(d, Math.PI - d);
  };
  const sorted = groups.sort((a, b) => b.length - a.length);
  const top = sorted.slice(0, 40);
  // Text lines, guilloche waves and patterned backgrounds run a few ways and can fill the list: keep the longest
  // lines of every direction too (the card may lie at any angle).
  for (let bin = 0; bin < ANGLE_BINS; bin++) {
    const inBin = sorted.filter((g) => Math.min(ANGLE_BINS - 1, Math.floor((g.theta / Math.PI) * ANGLE_BINS)) === bin && !top.includes(g));
    top.push(...inBin.slice(0, LINES_PER_BIN));
  }
  const pairs: [LineGroup, LineGroup][] = [];
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const a = top[i]!;
      const b = top[j]!;
      if (angleDiff(a, b) > OPPOSITE_SIDES_ANGLE) continue;
      const rb = Math.abs(a.theta - b.theta) > Math.PI / 2 ? -b.rho : b.rho;
      if (Math.abs(a.rho - rb) < minDim * 0.1) continue;
      pairs.push([a, b]);
    }
  }
  const found: { quad: Quad; score: number; skewed: boolean }[] = [];
  for (let i = 0; i < pairs.length; i++) {
    for (let j = i + 1; j < pairs.length; j++) {
      const [a1, a2] = pairs[i]!;
      const [b1, b2] = pairs[j]!;
      const skewed = Math.max(angleDiff(a1, a2), angleDiff(b1, b2)) > PARALLEL_SIDES_ANGLE;
      if (Math.abs(angleDiff(a1, b1) - Math.PI / 2) > 0.25) continue;
      const pts = [intersect(a1, b1), intersect(b1, a2), intersect(a2, b2), intersect(b2, a1)];
      if (pts.some((p) => !p || p.x < -5 || p.y < -5 || p.x > grey.cols + 5 || p.y > grey.rows + 5)) continue;
      const [p0, p1, p2, p3] = pts as Point[];
      const cov = [coverage(b1, p0!, p1!), coverage(a2, p1!, p2!), coverage(b2, p2!, p3!), coverage(a1, p3!, p0!)];
      const minCov = Math.min(...cov);
      const meanCov = cov.reduce((s, c) => s + c, 0) / 4;
      if (minCov < 0.15 || meanCov < 0.4) continue;
      const quad = orderQuad([p0!, p1!, p2!, p3!]);
      const areaFrac = quadArea(quad) / imgArea;
      if (areaFrac < 0.015 || areaFrac > 0.995) continue;
      const aspectFit = Math.exp(-Math.abs(Math.log(quadAspect(quad) / ID1_ASPECT)) * 6);
      const score = Math.min(1, meanCov / 0.85) * aspectFit * areaTerm(areaFrac);
      found.push({ quad, score, skewed });
    }
  }
  found.sort((a, b) => b.score - a.score);
  // Outlines of strongly tilted sides come as a few extras: among the twenty best they crowded out outlines that
  // the layout alignment turns into the card (a light capture of the eval set was lost that way).
  const fourSided = [...found.filter((f) => !f.skewed).slice(0, 20), ...found.filter((f) => f.skewed).slice(0, SKEWED_OUTLINES)];
  return { fourSided: fourSided.map(({ quad, score }) => ({ quad, score })), corners: cornerQuads(top, grey.cols, grey.rows, imgArea) };
}

/** Longest stretch of a line's segments that starts at `p` (gaps under `gap` bridged): its direction and length. */
function extentFrom(g: LineGroup, p: Point, gap: number): { sign: 1 | -1; length: number; covered: number } | null {
  const tp = along(g.theta, p.x, p.y);
  let best: { sign: 1 | -1; length: number; covered: number } | null = null;
  for (const sign of [1, -1] as const) {
    // Positions measured away from the corner.
    const spans = g.spans.map(([a, b]) => (sign === 1 ? [a - tp, b - tp] : [tp - b, tp - a]) as [number, number]).filter(([, b]) => b > 0).sort((u, v) => u[0] - v[0]);
    let end = 0;
    let covered = 0;
    for (const [a, b] of spans) {
      if (a > end + gap) break;
      if (b > end) {
        covered += b - Math.max(a, end, 0);
        end = b;
      }
    }
    if (end > 0 && (!best || end > best.length)) best = { sign, length: end, covered };
  }
  return best;
}

/**
 * Outlines from two sides meeting at a corner and the ID-1 aspect: a light card on a light background, or a card
 * edge lost in a patterned background, may show only two or three of its edges. The longer stretch of edge seen
 * from the corner is taken as a whole side (long or short), and the other must fit within its side. Scored
 * below outlines with four sides (PARTIAL_OUTLINE); the caller's layout match and content check decide.
 */
function cornerQuads(lines: LineGroup[], W: number, H: number, imgArea: number): { quad: Quad; score: number }[] {
  const minDim = Math.min(W, H);
  const gap = minDim * 0.05;
  const margin = minDim * 0.03;
  const inside = (q: Point) => q.x > -margin && q.y > -margin && q.x < W + margin && q.y < H + margin;
  const found: { quad: Quad; score: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i]!;
      const b = lines[j]!;
      const d = Math.abs(a.theta - b.theta);
      if (Math.abs(Math.min(d, Math.PI - d) - Math.PI / 2) > 0.12) continue;
      const p = intersect(a, b);
      if (!p || !inside(p)) continue;
      const ea = extentFrom(a, p, gap);
      const eb = extentFrom(b, p, gap);
      if (!ea || !eb || Math.min(ea.length, eb.length) < minDim * 0.12) continue;
      const ua = { x: -Math.sin(a.theta) * ea.sign, y: Math.cos(a.theta) * ea.sign };
      const ub = { x: -Math.sin(b.theta) * eb.sign, y: Math.cos(b.theta) * eb.sign };
      const [full, part] = ea.length >= eb.length ? [ea, eb] : [eb, ea];
      for (const otherSide of [full.length / ID1_ASPECT, full.length * ID1_ASPECT]) {
        if (part.length > otherSide * 1.1) continue;
        const [la, lb] = full === ea ? [full.length, otherSide] : [otherSide, full.length];
        const pts = [p, { x: p.x + ua.x * la, y: p.y + ua.y * la }, { x: p.x + ua.x * la + ub.x * lb, y: p.y + ua.y * la + ub.y * lb }, { x: p.x + ub.x * lb, y: p.y + ub.y * lb }];
        if (!pts.every(inside)) continue;
        const cov = (Math.min(1, ea.covered / la) + Math.min(1, eb.covered / lb)) / 2;
        if (cov < 0.6) continue;
        const quad = orderQuad(pts);
        const areaFrac = quadArea(quad) / imgArea;
        if (areaFrac < 0.015 || areaFrac > 0.995) continue;
        found.push({ quad, score: PARTIAL_OUTLINE * Math.min(1, cov / 0.85) * areaTerm(areaFrac) });
      }
    }
  }
  return found.sort((u, v) => v.score - u.score).slice(0, 10);
}

export function shortSide(q: Quad): number {
  return Math.min(dist(q[0], q[1]), dist(q[2], q[3]), dist(q[1], q[2]), dist(q[3], q[0]));
}

/** Foreground = pixels whose colour differs from the median colour of the photo's border strip. */
function backgroundDistanceMaps(cv: OpenCV, rgb: OpenCV, kernel: OpenCV): { maps: OpenCV[]; distance: OpenCV } {
  // (also returns the colour distance itself, amplified and smoothed, for the straight-edge finder)
  const W = rgb.cols;
  const H = rgb.rows;
  const d = rgb.data as Uint8Array;
  const border: number[][] = [[], [], []];
  const m = Math.max(2, Math.round(Math.min(W, H) * 0.03));
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (x >= m && x < W - m && y >= m && y < H - m) continue;
      const i = (y * W + x) * 3;
      for (let k = 0; k < 3; k++) border[k]!.push(d[i + k]!);
    }
  }
  const med = border.map((a) => a.sort((p, q) => p - q)[a.length >> 1] ?? 0);
  const dm = new Uint8Array(W * H);
  for (let p = 0; p < W * H; p++) {
    const i = p * 3;
    const v = Math.abs(d[i]! - med[0]!) + Math.abs(d[i + 1]! - med[1]!) + Math.abs(d[i + 2]! - med[2]!);
    dm[p] = Math.min(255, v);
  }
  const amplified = new Uint8Array(W * H);
  for (let p = 0; p < W * H; p++) amplified[p] = Math.min(255, dm[p]! * 3);
  const distance = cv.matFromArray(H, W, cv.CV_8UC1, amplified);
  cv.GaussianBlur(distance, distance, new cv.Size(5, 5), 0);
  const out = cv.matFromArray(H, W, cv.CV_8UC1, dm);
  cv.threshold(out, out, 0, 255, cv.THRESH_BINARY + cv.THRESH_OTSU);
  cv.morphologyEx(out, out, cv.MORPH_OPEN, kernel, new cv.Point(-1, -1), 2);
  cv.morphologyEx(out, out, cv.MORPH_CLOSE, kernel, new cv.Point(-1, -1), 3);
  return { maps: [out], distance };
}

/** Perspective-warps the quad to a width×height RGB image. */
export function warpQuad(cv: OpenCV, img: RawImage, quad: Quad, width: number, height: number): RawImage {
  const src = cv.matFromArray(img.height, img.width, cv.CV_8UC3, img.data);
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, quad.flatMap((p) => [p.x, p.y]));
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, width - 1, 0, width - 1, height - 1, 0, height - 1]);
  const M = cv.getPerspectiveTransform(from, to);
  const dst = new cv.Mat();
  cv.warpPerspective(src, dst, M, new cv.Size(width, height), cv.INTER_AREA, cv.BORDER_REPLICATE, new cv.Scalar());
  const out: RawImage = { data: new Uint8Array(dst.data), width, height, channels: 3 };
  for (const m of [src, from, to, M, dst]) m.delete();
  return out;
}

/**
 * How clearly the quad's outline separates two regions: for each side, the colour difference (sum over RGB)
 * between a thin strip just inside and one just outside, each averaged along the side.
 * A real card edge keeps one colour on each side; lines that a texture (fabric, wood grain) happens to line up
 * into a rectangle have the same texture on both sides, which averages out.
 */
function edgeContrast(rgb: Uint8Array, W: number, H: number, q: Quad): number {
  const cx = (q[0].x + q[1].x + q[2].x + q[3].x) / 4;
  const cy = (q[0].y + q[1].y + q[2].y + q[3].y) / 4;
  const off = Math.max(3, Math.round(Math.min(W, H) * 0.008));
  const sides: number[] = [];
  for (let k = 0; k < 4; k++) {
    const a = q[k]!;
    const b = q[(k + 1) % 4]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    let nx = -(b.y - a.y) / len;
    let ny = (b.x - a.x) / len;
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    if ((cx - mx) * nx + (cy - my) * ny < 0) {
      nx = -nx;
      ny = -ny;
    }
    const sum = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    const cnt = [0, 0];
    for (let t = 0.15; t <= 0.851; t += 0.02) {
      const px = a.x + (b.x - a.x) * t;
      const py = a.y + (b.y - a.y) * t;
      for (let s = 0; s < 2; s++) {
        const sign = s === 0 ? 1 : -1;
        for (const d of [off, off * 2]) {
          const x = Math.round(px + sign * nx * d);
          const y = Math.round(py + sign * ny * d);
          if (x < 0 || y < 0 || x >= W || y >= H) continue;
          const i = (y * W + x) * 3;
          for (let c = 0; c < 3; c++) sum[s]![c] += rgb[i + c]!;
          cnt[s]!++;
        }
      }
    }
    // A side along the photo's border has nothing outside: it neither proves nor disproves anything.
    if (cnt[0]! < 5 || cnt[1]! < 5) continue;
    let diff = 0;
    for (let c = 0; c < 3; c++) diff += Math.abs(sum[0]![c]! / cnt[0]! - sum[1]![c]! / cnt[1]!);
    sides.push(diff);
  }
  if (!sides.length) return 255;
  // The second weakest side: one side may legitimately vanish (a light card edge on a light background).
  sides.sort((a, b) => a - b);
  return sides[Math.min(1, sides.length - 1)]!;
}
