/**
 * The `services` object that sits beside `data` on verification and OCR responses (spec §6.2).
 * `Validations` and `validations` carry the same list: iOS decodes the capitalised key, the docs use lowercase.
 */
import type { DocumentScan, ValidationFinding } from './engines.js';
import { errorMessage } from '../server/errors.js';

export interface ServicesInput {
  findings?: ValidationFinding[];
  fake?: boolean;
  docType?: string | null;
  liveness?: boolean | null;
  src?: { isValid: boolean; errorCode: number; errorKey: string; errorMessage: string } | null;
}

export function buildServices(s: ServicesInput): Record<string, unknown> {
  const validation = { validation_errors: s.findings ?? [] };
  const out: Record<string, unknown> = {
    Validations: validation,
    validations: validation,
    spoofing: { fake: s.fake ?? false },
  };
  if (s.docType !== undefined) out.classification = { doc_type: s.docType };
  if (s.liveness !== undefined) out.liveness = s.liveness;
  // AML screening: Hawiya ships no sanctions list, so nothing can match; the key is kept for SDK decoders.
  out.AML = { AML_matched: false, data: [] };
  out.SRC = s.src ?? { isValid: true, errorCode: 0, errorKey: '', errorMessage: '' };
  return out;
}

/** Turns a code into a single finding for a field (used when a step-level check fails). */
export function finding(field: string, value: string | null, code: number, message: string): ValidationFinding {
  return { field, value, errors: [{ code, message }] };
}

/** A card scan's findings as the API reports them: the engine's, plus 5005 when the capture looks like a fake. */
export function documentFindings(scan: Pick<DocumentScan, 'findings' | 'spoof'>): ValidationFinding[] {
  const findings = [...scan.findings];
  if (scan.spoof.fake) findings.push(finding('document', null, 5005, `${errorMessage(5005, 'en')} (${scan.spoof.reasons.join(', ')})`));
  return findings;
}
