#!/usr/bin/env node
// Obtains Hawiya's default face models (the fr_*.onnx files of faceplugin-face-recognition-js@0.0.1) with the
// npm client and extracts only those files. The package itself is not a dependency: it would pull in
// hundreds of unrelated dev packages. Idempotent; fails loudly on a checksum mismatch.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = 'faceplugin-face-recognition-js@0.0.1';
// Keep in sync with src/face/models.ts (the engine checks these again at load).
export const MODEL_SHA256 = {
  'fr_detect.onnx': '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
  'fr_landmark.onnx': 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
  'fr_feature.onnx': '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
  'fr_liveness.onnx': 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d',
  'fr_eye.onnx': '1afcea006abc1ccac3c517022abde0aa092bed74ff3c9fe6878483ef9e6e38de',
  'fr_pose.onnx': '72d032ec941b7153bf8d3f2c03a4c165453cc7e63d479041ec7c6ef087e5839d',
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dest = resolve(process.env.HAWIYA_MODELS_DIR ?? join(root, 'models'), 'faceplugin');

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const okFile = (name) => existsSync(join(dest, name)) && sha256(join(dest, name)) === MODEL_SHA256[name];

function main() {
  const names = Object.keys(MODEL_SHA256);
  if (names.every(okFile)) {
    console.log(`[fetch-models] ${names.length} face models present and verified in ${dest}`);
    return;
  }
  mkdirSync(dest, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'hawiya-models-'));
  try {
    // npm pack uses the local cache when it has the tarball, the configured registry otherwise.
    const out = execFileSync('npm', ['pack', PKG, '--pack-destination', work, '--silent'], {
      cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    }).trim().split('\n').pop();
    const tgz = join(work, out ?? '');
    if (!out || !existsSync(tgz)) throw new Error(`npm pack ${PKG} produced no tarball`);
    const members = names.map((n) => `package/model/${n}`);
    execFileSync('tar', ['-xzf', tgz, '-C', work, ...members], { stdio: 'inherit' });
    for (const n of names) {
      const got = sha256(join(work, 'package/model', n));
      if (got !== MODEL_SHA256[n]) {
        throw new Error(`checksum mismatch for ${n} from ${PKG}: expected ${MODEL_SHA256[n]}, got ${got}`);
      }
      copyFileSync(join(work, "package/model", n), join(dest, n)); // copy, not rename: tmp may be another filesystem
    }
    console.log(`[fetch-models] extracted ${names.length} face models from ${PKG} into ${dest}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const n of names) if (!okFile(n)) throw new Error(`model ${n} failed verification after extraction`);
}

try {
  main();
} catch (err) {
  console.error(`[fetch-models] FAILED: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
