/** Public API of the document engine. */
export { DocumentEngine, governorateOf, TEXT_MIN_CONFIDENCE, ID_MIN_CONFIDENCE } from './engine.js';
export type { ScanResult, ScanOptions, Side } from './engine.js';
export { frontBackMismatch, type ValidationFinding, type ValidationError } from './checks.js';
export type { FieldValue } from './fields.js';
export type { SpoofResult, QualityResult } from './spoof.js';
export { scanIdCommand, debugImage, type ScanIdOptions } from './cli.js';
