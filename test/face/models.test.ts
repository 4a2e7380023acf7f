/** Model registry: pinned checksums are enforced at load and overrides are configurable. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FaceEngine, ModelIntegrityError, resolveModels } from '../../src/face/index.js';
import { loadVerifiedModel } from '../../src/face/models.js';

const dir = mkdtempSync(join(tmpdir(), 'hawiya-models-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('face model registry', () => {
  it('maps every role to a pinned default and verifies it', () => {
    const specs = resolveModels({}, {});
    for (const s of Object.values(specs)) {
      assert.match(s.sha256, /^[0-9a-f]{64}$/);
      assert.ok(loadVerifiedModel(s).length > 100_000, s.role);
    }
    assert.deepEqual(specs.embedding.input.shape, [1, 3, 112, 112]);
    assert.equal(specs.pad.input.channels, 'bgr');
  });

  it('takes a model from the environment only with its checksum', () => {
    assert.throws(() => resolveModels({}, { HAWIYA_FACE_MODEL_EMBEDDING: '/x/model.onnx' }), /SHA256 is missing/);
    const s = resolveModels({}, { HAWIYA_FACE_MODEL_EMBEDDING: '/x/model.onnx', HAWIYA_FACE_MODEL_EMBEDDING_SHA256: 'AB'.repeat(32) });
    assert.equal(s.embedding.path, '/x/model.onnx');
    assert.equal(s.embedding.sha256, 'ab'.repeat(32));
    assert.equal(s.detector.path, resolveModels({}, {}).detector.path);
  });

  it('refuses a model whose sha256 does not match, in the engine too', async () => {
    const real = resolveModels({}, {}).detector;
    const copy = join(dir, 'detector.onnx');
    copyFileSync(real.path, copy);
    const wrong = { path: copy, sha256: '0'.repeat(64) };
    assert.throws(() => loadVerifiedModel({ ...real, ...wrong }), ModelIntegrityError);
    await assert.rejects(FaceEngine.create({ poolSize: 1, models: { detector: wrong } }), /sha256/);
    await assert.rejects(FaceEngine.create({ poolSize: 0, models: { detector: wrong } }), ModelIntegrityError);
    // The same file with its true checksum is accepted.
    assert.ok(loadVerifiedModel({ ...real, path: copy }).length > 0);
  });
});
