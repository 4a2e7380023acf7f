/**
 * Synthetic Egyptian national ID generator: content (randomCardSpec), rendering (renderCard),
 * phone-capture degradation and presentation attacks (degrade), digit glyphs for template readers.
 */
export { randomCardSpec, cardSpelling, DEFAULT_TODAY, type CardSpec, type CardStyle, type RandomSpecOptions, type Gender } from './spec.js';
export { renderCard, labelsFor, type RenderedCard, type CardLabels, type FrontLabels, type BackLabels, type RenderOptions } from './render.js';
export { degrade, type Attack, type DegradeOptions, type DegradeTransform, type Degraded, type BackgroundKind } from './degrade.js';
export { renderDigitGlyphs, digitFontFiles, glyphToPng, type DigitGlyph, type DigitGlyphOptions } from './digits.js';
export { Rng, mulberry32, seedFrom } from './rng.js';
export { TEXT_FONTS, HEADER_FONTS, SERIAL_FONTS, missingFonts, type FontSpec } from './fonts.js';
export { homography, invert3, mapPoint, warpInto, type Mat3, type Point } from './warp.js';
export { capturedCard, setSideCapture, TODAY, type CapturedCard, type CaptureLevel, type SetCaptureOptions } from './capture.js';
