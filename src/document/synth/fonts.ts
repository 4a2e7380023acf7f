/**
 * Fonts used by the synthetic card generator, all from Debian font packages
 * (see .ci/apt-packages-document.txt): fonts-arabeyes, fonts-noto-core, fonts-kacst-one,
 * fonts-hosny-amiri, fonts-dejavu-core.
 *
 * The real card prints names/addresses in a bold "Simplified Arabic"-like naskh; the closest Debian
 * fonts are ae_Salem and Noto Naskh Arabic Bold, then Noto Sans Arabic Bold, KacstOne Bold, Amiri Bold.
 * The header "جمهورية مصر العربية" is calligraphic (Nagham/Tholoth/Amiri). The serial is a monospace
 * Latin face (DejaVu Sans Mono Bold).
 */
import { existsSync } from 'node:fs';

export interface FontSpec {
  /** Stable id used in labels. */
  id: string;
  /** Pango family + style, e.g. "Noto Naskh Arabic Bold". */
  pango: string;
  /** Absolute path of the font file. */
  file: string;
  /** Debian package providing it. */
  pkg: string;
  /** Relative frequency in random picks. */
  weight: number;
  /** Ink-height correction: multiply the em size by this so different faces print at similar sizes. */
  scale: number;
  /** Whether its Eastern Arabic digits have the standard shapes used on cards (ID number, dates). */
  digits: boolean;
}

const F = (id: string, pango: string, file: string, pkg: string, weight: number, scale = 1, digits = true): FontSpec => ({ id, pango, file, pkg, weight, scale, digits });

/** Arabic text faces for names, addresses and back-side lines. */
export const TEXT_FONTS: readonly FontSpec[] = [
  // Salem / AlArabiya: card-like letters but stylised, non-standard digit shapes → not used for digits
  F('salem', 'Salem', '/usr/share/fonts/truetype/fonts-arabeyes/ae_Salem.ttf', 'fonts-arabeyes', 3, 1.0, false),
  F('noto-naskh-bold', 'Noto Naskh Arabic Bold', '/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf', 'fonts-noto-core', 3, 0.95),
  F('noto-sans-arabic-bold', 'Noto Sans Arabic Bold', '/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf', 'fonts-noto-core', 1.5, 0.92),
  F('kacstone-bold', 'KacstOne Bold', '/usr/share/fonts/truetype/kacst-one/KacstOne-Bold.ttf', 'fonts-kacst-one', 1, 0.95),
  F('amiri-bold', 'Amiri Bold', '/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Bold.ttf', 'fonts-hosny-amiri', 1, 0.9),
  F('ae-alarabiya', 'AlArabiya', '/usr/share/fonts/truetype/fonts-arabeyes/ae_AlArabiya.ttf', 'fonts-arabeyes', 0.5, 1.1, false),
];

/** Faces for the calligraphic header. */
export const HEADER_FONTS: readonly FontSpec[] = [
  F('nagham', 'Nagham', '/usr/share/fonts/truetype/fonts-arabeyes/ae_Nagham.ttf', 'fonts-arabeyes', 2, 1),
  F('tholoth', 'Tholoth', '/usr/share/fonts/truetype/fonts-arabeyes/ae_Tholoth.ttf', 'fonts-arabeyes', 1, 1),
  F('amiri-bold', 'Amiri Bold', '/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Bold.ttf', 'fonts-hosny-amiri', 1, 1),
];

/** Monospace Latin face for the serial (idKey). */
export const SERIAL_FONTS: readonly FontSpec[] = [
  F('dejavu-sans-mono-bold', 'DejaVu Sans Mono Bold', '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf', 'fonts-dejavu-core', 1, 1),
];

/** Font files needed by the generator that are missing on this machine. */
export function missingFonts(): string[] {
  const all = [...TEXT_FONTS, ...HEADER_FONTS, ...SERIAL_FONTS];
  return [...new Set(all.filter((f) => !existsSync(f.file)).map((f) => `${f.file} (${f.pkg})`))];
}

/** Fonts of a list that are installed. */
export function availableFonts(list: readonly FontSpec[]): FontSpec[] {
  return list.filter((f) => existsSync(f.file));
}

export function fontById(id: string): FontSpec | undefined {
  return [...TEXT_FONTS, ...HEADER_FONTS, ...SERIAL_FONTS].find((f) => f.id === id);
}
