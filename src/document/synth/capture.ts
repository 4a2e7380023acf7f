/**
 * A synthetic card pair captured the way a phone app sends it: the card fills most of a landscape frame
 * (the SDKs show a card guide), clean light, slight tilt. Used by the verification fixtures and benches.
 */
import { randomCardSpec } from './spec.js';
import { renderCard, type CardLabels } from './render.js';
import { degrade, type Attack, type Degraded } from './degrade.js';
import { Rng, seedFrom } from './rng.js';

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

export type CaptureLevel = 'clean' | 'light' | 'medium' | 'heavy';

/** How an evaluation set (scripts/gen-synth.ts) degrades its captures. */
export interface SetCaptureOptions {
  attacks: boolean;
  /** Share of attack captures when `attacks`. */
  attackRate: number;
  /** 'mixed': 15 % clean, 35 % light, 35 % medium, 15 % heavy. */
  level: CaptureLevel | 'mixed';
}

/**
 * One side of a set's card photographed as the set does it. The attack and the level are drawn from the capture's
 * own seed, so any capture of a set can be made again alone (a test re-makes the ones a change was measured on).
 */
export async function setSideCapture(cardSeed: number, png: Buffer, side: 'front' | 'back', o: SetCaptureOptions): Promise<Degraded & { attack: Attack | null; level: CaptureLevel }> {
  const rng = new Rng(seedFrom(cardSeed, side, 'capture'));
  const attack: Attack | null = o.attacks && rng.bool(o.attackRate) ? rng.pick(['screen', 'photocopy', 'print'] as const) : null;
  const level: CaptureLevel = o.level === 'mixed' ? rng.weighted([['clean', 0.15], ['light', 0.35], ['medium', 0.35], ['heavy', 0.15]] as const) : o.level;
  return { ...(await degrade(png, rng, { attack, level })), attack, level };
}
