/**
 * `hawiya scan-id <image> [--side front|back] [--json] [--debug-image out.png]`: reads one card photo with the
 * document engine and prints the same `data` and `services` the API returns.
 */
import fs from 'node:fs';
import sharp from 'sharp';
import { VlensError } from '../server/errors.js';
import { DocumentEngine, type ScanResult, type Side } from './engine.js';
import { buildServices, documentFindings } from '../verification/services.js';

export interface ScanIdOptions {
  side?: Side;
  json?: boolean;
  debugImage?: string;
  /** Where to print (default process.stdout). */
  out?: NodeJS.WritableStream;
}

/** Rectified card with every field box outlined, for checking the alignment by eye. */
export async function debugImage(result: ScanResult): Promise<Buffer> {
  const meta = await sharp(result.rectified).metadata();
  const rects = Object.entries(result.boxes)
    .map(([name, b]) => `<rect x="${b.left}" y="${b.top}" width="${b.width}" height="${b.height}" fill="none" stroke="#e0218a" stroke-width="2"/>` +
      `<text x="${b.left + 3}" y="${b.top + 13}" font-family="DejaVu Sans" font-size="12" fill="#e0218a">${name}</text>`)
    .join('');
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${meta.width}" height="${meta.height}">${rects}</svg>`);
  return sharp(result.rectified).composite([{ input: svg, top: 0, left: 0 }]).png().toBuffer();
}

/** Returns the process exit code (0 read, 1 rejected by the engine). */
export async function scanIdCommand(file: string, opts: ScanIdOptions = {}): Promise<number> {
  const out = opts.out ?? process.stdout;
  const engine = await DocumentEngine.create();
  try {
    const result = await engine.scan(fs.readFileSync(file), { expectedSide: opts.side });
    // The same `services` the API returns for this scan (5005 finding included).
    const body = { data: result.data, services: buildServices({ findings: documentFindings(result), fake: result.spoof.fake, docType: result.docType }) };
    if (opts.debugImage) fs.writeFileSync(opts.debugImage, await debugImage(result));
    if (opts.json) {
      out.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      out.write(`side: ${result.side}  doc_type: ${result.docType}  fake: ${result.spoof.fake}${result.spoof.reasons.length ? ` (${result.spoof.reasons.join(', ')})` : ''}\n`);
      for (const [k, v] of Object.entries(result.data)) {
        const conf = result.fields[k]?.confidence;
        out.write(`  ${k.padEnd(20)} ${v ?? '—'}${conf !== undefined ? `  (${conf.toFixed(2)})` : ''}\n`);
      }
      for (const f of result.findings) out.write(`  ! ${f.field}: ${f.errors.map((e) => `${e.code} ${e.message}`).join('; ')}\n`);
      out.write(`  time: ${result.timingsMs.total} ms\n`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof VlensError)) throw err;
    const body = { error_code: err.code, message: err.message };
    out.write(opts.json ? `${JSON.stringify(body, null, 2)}\n` : `error ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    await engine.close();
  }
}
