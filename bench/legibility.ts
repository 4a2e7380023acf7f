/**
 * The committed blind legibility reviews (bench/legibility/*.json, written by legibility-review.ts) and how a
 * capture is matched to one: by file name and SHA-256, so a regenerated set that differs by a byte is not matched.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A review: per capture file, its SHA-256 and every reviewer's rating (2 legible, 1 marginal, 0 unreadable). */
export interface LegibilityReview {
  set: string;
  method: string;
  reviewers: number;
  /** Who reviewed, and anything that bears on how blind the review was. */
  notes: string;
  captures: Record<string, { sha256: string; ratings: number[] }>;
}

export const fileSha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The ratings of a set's capture (`file` relative to `dir`) in a review file, if that very file was reviewed. */
export function reviewRatings(reviewFile: string, dir: string): (file: string) => number[] | undefined {
  const review = fs.existsSync(reviewFile) ? (JSON.parse(fs.readFileSync(reviewFile, 'utf8')) as LegibilityReview) : null;
  return (file) => {
    const r = review?.captures[file];
    return r && r.sha256 === fileSha256(path.join(dir, file)) ? r.ratings : undefined;
  };
}
