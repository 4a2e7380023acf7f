#!/usr/bin/env node
// Obtains Hawiya's default face models (the fr_*.onnx files of faceplugin-face-recognition-js@0.0.1) with the
// npm client and extracts only those files. The package itself is not a dependency: it would pull in
// hundreds of unrelated dev packages. Idempotent; fails loudly on a checksum mismatch.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The pinned list is shared with the engine's registry (src/face/models.ts), which checks it again at load.
const pinned = JSON.parse(readFileSync(join(root, 'src/face/default-models.json'), 'utf8'));
const PKG = pinned.package;
const MODEL_SHA256 = Object.fromEntries(Object.values(pinned.files).map((f) => [f.file, f.sha256]));
const dest = resolve(process.env.HAWIYA_MODELS_DIR ?? join(root, 'models'), pinned.dir);

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
      // Copy next to the target (tmp may be another filesystem), then rename: readers never see a partial file.
      copyFileSync(join(work, 'package/model', n), join(dest, `${n}.tmp`));
      renameSync(join(dest, `${n}.tmp`), join(dest, n));
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
