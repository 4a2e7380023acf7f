/**
 * Synthetic captures for the verification tests: a card rendered by the project's generator with the portrait
 * of the face fixtures' person, photographed (degraded) like a phone capture. Nothing comes from shared/data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomCardSpec, renderCard, degrade, Rng } from '../../src/document/synth/index.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const fixture = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel));
export const b64 = (b: Buffer) => b.toString('base64');

/** Today's date for the generator, so synthetic cards are valid (not expired) whenever the suite runs. */
export const TODAY = new Date().toISOString().slice(0, 10);

const CAPTURE = { level: 'clean', rightAngle: 0, perspective: 0.02, cardScale: 0.8, width: 1280, height: 960 } as const;

export interface CapturedCard {
  front: Buffer;
  back: Buffer;
  labels: Awaited<ReturnType<typeof renderCard>>['labels'];
}

/** A phone capture as the SDKs send it: the card fills most of a landscape frame (the SDK shows a card guide). */
export async function capturedCard(seed: number, portrait?: Buffer): Promise<CapturedCard> {
  const spec = randomCardSpec(seed, { expiredRate: 0, today: TODAY, gender: 'male' });
  if (portrait) spec.portrait = portrait;
  const card = await renderCard(spec, { today: TODAY });
  const rng = new Rng(seed * 7 + 1);
  const front = await degrade(card.front, rng, { ...CAPTURE, angle: 2 });
  const back = await degrade(card.back, rng, { ...CAPTURE, angle: -2 });
  return { front: front.image, back: back.image, labels: card.labels };
}
