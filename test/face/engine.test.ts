/**
 * Face engine on real images through the real models (fixtures: test/fixtures/faces/README.md).
 * The engine (two worker threads, each with its own ONNX sessions) is created once for the file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { FaceEngine, type LivenessResult } from '../../src/face/index.js';
import { faceCheckCommand, faceMatchCommand, livenessCommand } from '../../src/face/cli.js';
import { cardWithPortrait, idPortrait } from '../../src/face/synth-portrait.js';
import { randomCardSpec, renderCard } from '../../src/document/synth/index.js';
import { synthReplay } from '../../src/face/synth-replay.js';
import { VlensError } from '../../src/server/errors.js';

const FIX = new URL('../fixtures/faces/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIX));
const fixturePath = (name: string) => new URL(name, FIX).pathname;
const live = [1, 2, 3].map((i) => fixture(`live_franck_${i}.jpg`));
const photo = fixture('franck_photo.jpg');
const other = fixture('other_person.jpg');

async function rejectsWith(p: Promise<unknown>, code: number): Promise<VlensError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof VlensError, `expected VlensError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected VlensError ${code}`);
}

let engine: FaceEngine;
before(async () => {
  engine = await FaceEngine.create({ poolSize: 2 });
});
after(async () => {
  await engine.close();
});

describe('per-image analysis', () => {
  it('finds the one face of a live frame with landmarks, embedding, quality and attack score', async () => {
    const a = await engine.analyze(live[0]!);
    assert.equal(a.faceCount, 1);
    assert.ok(a.status.ok, a.status.reasons.join(','));
    const f = a.face!;
    assert.equal(f.landmarks.length, 68);
    assert.equal(f.embedding.length, 512);
    assert.ok(Math.abs(Math.hypot(...f.embedding) - 1) < 1e-4);
    // The face sits in the middle third of the 360x288 frame.
    assert.ok(f.box.x > 60 && f.box.x + f.box.width < 300, JSON.stringify(f.box));
    assert.ok(f.box.width > 80 && f.box.width < 250);
    assert.ok(f.liveScore > 0.5 && f.attackScore < 0.5);
    assert.ok(f.quality.ear > 0.2 && f.quality.blur > 15);
  });

  it('accepts base64 input like the API does', async () => {
    const a = await engine.analyze(live[1]!.toString('base64'));
    assert.equal(a.faceCount, 1);
  });

  it('no face → 4207', async () => {
    const { data } = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#6a8caf' } }).raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < data.length; i++) data[i] = (data[i]! + ((i * 2654435761) >>> 27)) & 255; // texture, not a flat card
    const img = await sharp(data, { raw: { width: 320, height: 240, channels: 3 } }).jpeg().toBuffer();
    const a = await engine.analyze(img);
    assert.equal(a.faceCount, 0);
    assert.equal(a.status.code, 4207);
    await rejectsWith(engine.singleFace(img), 4207);
  });

  it('two faces → 4206', async () => {
    const left = await sharp(live[0]!).resize(360, 288).toBuffer();
    const right = await sharp(other).resize(360, 288).toBuffer();
    const both = await sharp({ create: { width: 720, height: 288, channels: 3, background: '#808080' } })
      .composite([{ input: left, left: 0, top: 0 }, { input: right, left: 360, top: 0 }]).jpeg().toBuffer();
    const a = await engine.analyze(both);
    assert.equal(a.faceCount, 2);
    assert.equal(a.status.code, 4206);
    await rejectsWith(engine.liveness([both, live[1]!, live[2]!]), 4206);
  });

  it('a heavily blurred face fails the quality gate (4209, blurry)', async () => {
    const blurred = await sharp(live[0]!).blur(6).jpeg().toBuffer();
    const a = await engine.analyze(blurred);
    assert.equal(a.faceCount, 1);
    assert.equal(a.status.code, 4209);
    assert.ok(a.status.reasons.includes('blurry'), a.status.reasons.join(','));
  });
});

describe('verification', () => {
  it('same person scores above the match threshold, another person below review', async () => {
    const [x, y, z] = await Promise.all([engine.singleFace(photo), engine.singleFace(live[0]!), engine.singleFace(other)]);
    const same = engine.match(x.embedding, y.embedding);
    const diff = engine.match(y.embedding, z.embedding);
    assert.equal(same.band, 'match');
    assert.ok(same.isMatched);
    assert.equal(diff.band, 'no_match');
    assert.ok(same.similarity > diff.similarity + 0.3);
  });

  it('finds the portrait on a card (largest face, not the ghost) and matches the live frame', async () => {
    const face = await engine.singleFace(photo);
    const card = await cardWithPortrait(await idPortrait(photo, face.box));
    const p = await engine.portraitEmbedding(card);
    assert.ok(p.box.x < 300 && p.box.width > 120, `portrait box ${JSON.stringify(p.box)}`); // the left portrait, not the ghost
    const m = engine.match(p.embedding, (await engine.singleFace(live[2]!)).embedding);
    assert.equal(m.band, 'match');
    const cmp = await engine.compare(card, other);
    assert.equal(cmp.isMatched, false);
  });

  it("finds the portrait on the document engine's synthetic card and matches the live frames", async () => {
    const face = await engine.singleFace(photo);
    const spec = { ...randomCardSpec(5), portrait: await idPortrait(photo, face.box) };
    const card = (await renderCard(spec, { sides: ['front'] })).front;
    const p = await engine.portraitEmbedding(card);
    const r = await engine.liveness(live, { reference: p.embedding });
    assert.equal(r.live, 'live');
    assert.equal(r.match?.band, 'match', String(r.match?.similarity));
    const someoneElse = await engine.singleFace(other);
    assert.equal(engine.match(p.embedding, someoneElse.embedding).band, 'no_match');
  });

  it('an ID image without a face → 3014', async () => {
    const blank = await sharp({ create: { width: 500, height: 315, channels: 3, background: '#dde4da' } }).jpeg().toBuffer();
    await rejectsWith(engine.portraitEmbedding(blank), 3014);
  });

  it('match has three bands and refuses unusable embeddings with 7008', () => {
    const a = [1, 0, 0];
    assert.equal(engine.match(a, [1, 0, 0]).band, 'match');
    assert.equal(engine.match(a, [0.35, Math.sqrt(1 - 0.35 ** 2), 0], { match: 0.4, review: 0.3 }).band, 'review');
    assert.equal(engine.match(a, [0, 1, 0]).band, 'no_match');
    assert.throws(() => engine.match(a, [1, 0]), (e: unknown) => e instanceof VlensError && e.code === 7008);
    assert.throws(() => engine.match([], []), (e: unknown) => e instanceof VlensError && e.code === 7008);
    assert.throws(() => engine.match([NaN, 0, 0], a), (e: unknown) => e instanceof VlensError && e.code === 7008);
  });
});

describe('three-frame liveness', () => {
  let genuine: LivenessResult;
  before(async () => {
    const ref = (await engine.portraitEmbedding(photo)).embedding;
    genuine = await engine.liveness(live, { reference: ref });
  });

  it('accepts three live frames of one person and matches them with the reference', () => {
    assert.equal(genuine.live, 'live', genuine.reasons.join(','));
    assert.deepEqual(genuine.reasons, []);
    assert.ok(genuine.match?.isMatched);
    assert.equal(genuine.frames.length, 3);
    assert.ok(genuine.bestFrameIndex >= 0 && genuine.bestFrameIndex < 3);
    assert.ok(genuine.guidance.includes('capture_times_unavailable'));
  });

  it('rejects a replayed photo (print and screen) moved across three frames', async () => {
    for (const medium of ['print', 'screen'] as const) {
      const frames = await synthReplay(photo, { medium, seed: 11 });
      const r = await engine.liveness(frames);
      assert.equal(r.live, 'not_live', `${medium}: ${JSON.stringify(r.scores)}`);
      assert.ok(r.scores.appearance < genuine.scores.appearance);
    }
  });

  it('rejects byte-identical and near-duplicate frames', async () => {
    const dup = await engine.liveness([live[0]!, live[0]!, live[1]!]);
    assert.equal(dup.live, 'not_live');
    assert.ok(dup.reasons.includes('duplicate_frames'));
    const reencoded = await sharp(live[0]!).jpeg({ quality: 92 }).toBuffer();
    const near = await engine.liveness([live[0]!, reencoded, live[2]!]);
    assert.equal(near.live, 'not_live');
    assert.ok(near.reasons.includes('duplicate_frames'));
  });

  it('rejects a face swapped between frames', async () => {
    const r = await engine.liveness([live[0]!, other, live[2]!]);
    assert.equal(r.live, 'not_live');
    assert.ok(r.reasons.includes('identity_changed_between_frames'));
  });

  it('applies the 0.5 s capture rule when the frames carry EXIF capture times', async () => {
    const stamp = (img: Buffer, t: string) => sharp(img).withExif({ IFD0: { DateTime: t } }).jpeg({ quality: 90 }).toBuffer();
    const apart = await Promise.all(live.map((f, i) => stamp(f, `2026:11:26 10:00:0${i * 2}`)));
    const r = await engine.liveness(apart);
    assert.deepEqual(r.scores.gapsMs, [2000, 2000]);
    assert.notEqual(r.live, 'live');
    assert.ok(r.reasons.includes('frames_too_far_apart'));
    const reversed = await Promise.all(live.map((f, i) => stamp(f, `2026:11:26 10:00:0${4 - i * 2}`)));
    const back = await engine.liveness(reversed);
    assert.equal(back.live, 'not_live');
    assert.ok(back.reasons.includes('capture_times_out_of_order'));
  });

  it('needs exactly three frames', async () => {
    await rejectsWith(engine.liveness([live[0]!, live[1]!]), 400);
  });
});

describe('CLI commands', () => {
  it('face-check, face-match and liveness print JSON and return exit codes', async () => {
    const lines: string[] = [];
    const opts = { json: true, engine, out: (s: string) => lines.push(s) };
    assert.equal(await faceCheckCommand(fixturePath('live_franck_1.jpg'), opts), 0);
    assert.equal(JSON.parse(lines.pop()!).faces, 1);
    assert.equal(await faceMatchCommand(fixturePath('franck_photo.jpg'), fixturePath('other_person.jpg'), opts), 1);
    assert.equal(JSON.parse(lines.pop()!).band, 'no_match');
    const frames = [1, 2, 3].map((i) => fixturePath(`live_franck_${i}.jpg`));
    assert.equal(await livenessCommand(frames, { ...opts, id: fixturePath('franck_photo.jpg') }), 0);
    const out = JSON.parse(lines.pop()!);
    assert.equal(out.live, 'live');
    assert.equal(out.match.isMatched, true);
  });
});
