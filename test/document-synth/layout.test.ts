import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACK_BOXES, BACK_LINES, CANONICAL_H, CANONICAL_W, FRONT_BOXES, FRONT_LINES, boxContains, padBox, toPixels, type Box } from '../../src/document/layout.js';

test('canonical size has the ID-1 aspect', () => {
  assert.equal(CANONICAL_W, 1000);
  assert.equal(CANONICAL_H, 631);
  assert.ok(Math.abs(CANONICAL_W / CANONICAL_H - 85.6 / 54) < 0.002);
});

test('all boxes lie within the card', () => {
  for (const [name, b] of [...Object.entries(FRONT_BOXES), ...Object.entries(BACK_BOXES)] as Array<[string, Box]>) {
    assert.ok(b.x >= 0 && b.y >= 0 && b.w > 0 && b.h > 0 && b.x + b.w <= 1 + 1e-9 && b.y + b.h <= 1 + 1e-9, name);
  }
});

test('front field order matches the real card (top to bottom)', () => {
  const cy = (b: Box) => b.y + b.h / 2;
  const f = FRONT_BOXES;
  assert.ok(cy(f.header) < cy(f.firstName));
  assert.ok(cy(f.firstName) < cy(f.lastNames));
  assert.ok(cy(f.lastNames) < cy(f.address1));
  assert.ok(cy(f.address1) < cy(f.address2));
  assert.ok(cy(f.address2) < cy(f.idNumber));
  assert.ok(cy(f.idNumber) < cy(f.idKey));
  // portrait and serial on the left, names on the right
  assert.ok(f.portrait.x + f.portrait.w < 0.35 && f.firstName.x + f.firstName.w > 0.9 && f.idKey.x < 0.1);
  const b = BACK_BOXES;
  assert.ok(cy(b.topLine) < cy(b.job1) && cy(b.job1) < cy(b.job2) && cy(b.job2) < cy(b.genderReligionMarital));
  assert.ok(cy(b.genderReligionMarital) < cy(b.expiry) && cy(b.expiry) < cy(b.barcode));
});

test('render anchors sit inside their boxes with ≥ 2 % margin vertically', () => {
  const check = (lines: Record<string, { cy: number; size: number }>, boxes: Record<string, Box>, map: Record<string, string> = {}) => {
    for (const [k, a] of Object.entries(lines)) {
      const b = boxes[map[k] ?? k];
      assert.ok(b, k);
      const top = a.cy - a.size / 2;
      const bottom = a.cy + a.size / 2;
      assert.ok(top >= b.y - 0.005 && bottom <= b.y + b.h + 0.005, `${k}: ink ${top.toFixed(3)}–${bottom.toFixed(3)} vs box ${b.y}–${(b.y + b.h).toFixed(3)}`);
      assert.ok(a.cy - b.y >= 0.035 && b.y + b.h - a.cy >= 0.035, `${k}: centre too close to the box edge`);
    }
  };
  check(FRONT_LINES, FRONT_BOXES as Record<string, Box>);
  check(BACK_LINES, BACK_BOXES as Record<string, Box>);
});

test('toPixels / padBox / boxContains', () => {
  assert.deepEqual(toPixels({ x: 0.1, y: 0.2, w: 0.5, h: 0.1 }), { left: 100, top: 126, width: 500, height: 63 });
  assert.deepEqual(toPixels({ x: 0.9, y: 0.9, w: 0.5, h: 0.5 }, 100, 100), { left: 90, top: 90, width: 10, height: 10 });
  const p = padBox({ x: 0.01, y: 0.5, w: 0.2, h: 0.1 }, 0.02);
  assert.ok(Math.abs(p.x) < 1e-12 && Math.abs(p.w - 0.23) < 1e-12);
  assert.ok(boxContains(FRONT_BOXES.hologram, { x: 0.1, y: 0.75, w: 0.1, h: 0.05 }));
  assert.ok(!boxContains(FRONT_BOXES.idKey, FRONT_BOXES.idNumber));
});
