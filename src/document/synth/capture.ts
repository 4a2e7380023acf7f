/**
 * A synthetic card pair captured the way a phone app sends it: the card fills most of a landscape frame
 * (the SDKs show a card guide), clean light, slight tilt. Used by the verification fixtures and benches.
 */
import { randomCardSpec } from './spec.js';
import { renderCard, type CardLabels } from './render.js';
import { degrade } from './degrade.js';
import { Rng } from './rng.js';

/** Today's date, so generated cards are valid (not expired) whenever they are made. */
export const TODAY = new Date().toISOString().slice(0, 10);

const CAPTURE = { level: 'clean', rightAngle: 0, perspective: 0.02, cardScale: 0.8, width: 1280, height: 960 } as const;

export interface CapturedCard {
  front: Buffer;
  back: Buffer;
  labels: CardLabels;
}

/** `today` (YYYY-MM-DD) dates the card; benches fix it so that every run reads the same cards. */
export async function capturedCard(seed: number, portrait?: Buffer, today: string = TODAY): Promise<CapturedCard> {
  const spec = randomCardSpec(seed, { expiredRate: 0, today, gender: 'male' });
  if (portrait) spec.portrait = portrait;
  const card = await renderCard(spec, { today });
  const rng = new Rng(seed * 7 + 1);
  const front = await degrade(card.front, rng, { ...CAPTURE, angle: 2 });
  const back = await degrade(card.back, rng, { ...CAPTURE, angle: -2 });
  return { front: front.image, back: back.image, labels: card.labels };
}
