/**
 * What an uploaded file really is, and photos made safe to keep. A file's type is decided from its
 * first bytes (and, for Office files, from the names inside the zip), never from its name or the
 * type the sender's device claims: photos (JPEG, PNG, WebP) and documents (PDF, Word, Excel,
 * PowerPoint) are accepted; programs, scripts, macro-carrying Office files and everything else
 * are not. A photo keeps its pixels but loses what could tell who took it or where: EXIF (GPS
 * included), XMP, IPTC, comments, text chunks and any data appended after the image.
 */
import { concatBytes } from '../../../kernel/bytes.ts';
import type { L10n } from '../../../kernel/l10n.ts';
import { zipDirectory } from '../people/roster-file.ts';

/** Whether an accepted file is shown as a picture or offered as a document. */
export type FileClass = 'photo' | 'document';

/** An accepted file type: its MIME type, the extension it is stored with (no dot), and its name. */
export interface FileType {
  mime: string;
  ext: string;
  class: FileClass;
  label: L10n;
}

/** A file's type, or why it is refused: a program or script, a type not accepted, or no bytes. */
export type Sniffed = { ok: true; type: FileType } | { ok: false; why: 'executable' | 'unknown' | 'empty' };

const fileTypes = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg', class: 'photo', label: { zh: 'JPEG 照片', en: 'JPEG photo' } },
  png: { mime: 'image/png', ext: 'png', class: 'photo', label: { zh: 'PNG 图片', en: 'PNG image' } },
  webp: { mime: 'image/webp', ext: 'webp', class: 'photo', label: { zh: 'WebP 图片', en: 'WebP image' } },
  pdf: {
    mime: 'application/pdf',
    ext: 'pdf',
    class: 'document',
    label: { zh: 'PDF 文档', en: 'PDF document' },
  },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
    class: 'document',
    label: { zh: 'Word 文档', en: 'Word document' },
  },
  xlsx: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ext: 'xlsx',
    class: 'document',
    label: { zh: 'Excel 工作簿', en: 'Excel workbook' },
  },
  pptx: {
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ext: 'pptx',
    class: 'document',
    label: { zh: 'PowerPoint 演示文稿', en: 'PowerPoint presentation' },
  },
} as const satisfies Record<string, FileType>;

const magic = {
  jpeg: [0xff, 0xd8, 0xff],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  pdf: [0x25, 0x50, 0x44, 0x46, 0x2d],
  zip: [0x50, 0x4b, 0x03, 0x04],
};

/** Windows PE, ELF, Mach-O (both byte orders, 32/64-bit, universal) and shebang scripts. */
const executableMagic = [
  [0x4d, 0x5a],
  [0x7f, 0x45, 0x4c, 0x46],
  [0xfe, 0xed, 0xfa, 0xce],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe],
  [0xca, 0xfe, 0xba, 0xbe],
  [0x23, 0x21],
];

/** Entries that make a zip a carrier of programs or scripts, wherever they sit inside it. */
const executableEntry =
  /\.(exe|dll|js|vbs|bat|cmd|ps1|sh|jar|apk|scr|msi|vbe|jse|wsf|hta)$|(^|\/)vbaproject\.bin$/;

/** Which part names an Office file by; the first found decides. */
const officeParts = [
  ['word/document.xml', fileTypes.docx],
  ['xl/workbook.xml', fileTypes.xlsx],
  ['ppt/presentation.xml', fileTypes.pptx],
] as const;

const startsWith = (bytes: Uint8Array, expected: readonly number[], at = 0) =>
  bytes.length >= at + expected.length && expected.every((b, i) => bytes[at + i] === b);

/** The extension a type's files are saved with (jpg, pdf, …); empty for a type not taken. */
export function extensionOf(mime: string): string {
  return Object.values(fileTypes as Record<string, FileType>).find((t) => t.mime === mime)?.ext ?? '';
}

const hasText = (bytes: Uint8Array, at: number, text: string) =>
  startsWith(
    bytes,
    [...text].map((c) => c.charCodeAt(0)),
    at,
  );

const textAt = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

/** Decides a file's type by its content (magic bytes) alone, never by its name or declared type. */
export function sniffFile(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { ok: false, why: 'empty' };
  if (executableMagic.some((m) => startsWith(bytes, m))) return { ok: false, why: 'executable' };
  if (startsWith(bytes, magic.jpeg)) return { ok: true, type: fileTypes.jpeg };
  if (startsWith(bytes, magic.png)) return { ok: true, type: fileTypes.png };
  if (hasText(bytes, 0, 'RIFF') && hasText(bytes, 8, 'WEBP')) return { ok: true, type: fileTypes.webp };
  if (startsWith(bytes, magic.pdf)) return { ok: true, type: fileTypes.pdf };
  if (startsWith(bytes, magic.zip)) return sniffZip(bytes);
  return { ok: false, why: 'unknown' };
}

/** An Office file by the parts its zip directory lists; a zip carrying programs or macros is refused. */
function sniffZip(bytes: Uint8Array): Sniffed {
  const zip = zipDirectory(bytes);
  if (zip === null) return { ok: false, why: 'unknown' };
  // Windows ignores trailing dots and spaces, so `run.exe.` still runs as `run.exe`.
  const names = zip.names.map((n) => n.toLowerCase().replace(/[. ]+$/, ''));
  if (names.some((n) => executableEntry.test(n))) return { ok: false, why: 'executable' };
  const part = officeParts.find(([name]) => names.includes(name));
  return part ? { ok: true, type: part[1] } : { ok: false, why: 'unknown' };
}

/**
 * Photo bytes with metadata that could identify the sender or place removed (EXIF incl. GPS, XMP,
 * IPTC, comments, text chunks); pixels untouched. Unknown/corrupt structure: returns null (caller
 * refuses). Bytes of any other MIME type are returned as they are.
 */
export function stripPhotoMetadata(bytes: Uint8Array, mime: string): Uint8Array | null {
  if (mime === fileTypes.jpeg.mime) return stripJpeg(bytes);
  if (mime === fileTypes.png.mime) return stripPng(bytes);
  if (mime === fileTypes.webp.mime) return stripWebp(bytes);
  return bytes;
}

/**
 * A JPEG rebuilt from its segments: those that describe the image are copied, metadata segments
 * are left out, every scan's data is copied as it is, and nothing after the end marker is kept
 * (phones append further images there, each with its own EXIF).
 */
function stripJpeg(bytes: Uint8Array): Uint8Array | null {
  if (!startsWith(bytes, [0xff, 0xd8])) return null;
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let at = 2;
  let scans = 0;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // a fill byte before a marker
      continue;
    }
    if (marker === 0xd9) {
      if (scans === 0) return null;
      kept.push(bytes.subarray(at, at + 2));
      return concatBytes(kept);
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(bytes.subarray(at, at + 2)); // markers without a length
      at += 2;
      continue;
    }
    if (marker === 0x00 || marker === 0xd8 || at + 4 > bytes.length) return null;
    const end = at + 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
    if (end < at + 4 || end > bytes.length) return null;
    const segment = keptJpegSegment(bytes.subarray(at, end));
    if (segment) kept.push(segment);
    at = end;
    if (marker === 0xda) {
      const next = scanEnd(bytes, at);
      if (next < 0) return null;
      kept.push(bytes.subarray(at, next));
      at = next;
      scans += 1;
    }
  }
  return null;
}

/** Where a scan's entropy-coded data ends: the next marker that is not a stuffed byte or a restart. */
function scanEnd(bytes: Uint8Array, from: number): number {
  for (
    let at = bytes.indexOf(0xff, from);
    at >= 0 && at + 1 < bytes.length;
    at = bytes.indexOf(0xff, at + 1)
  ) {
    const next = bytes[at + 1]!;
    if (next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) return at;
  }
  return -1;
}

/**
 * A JPEG segment as it is kept, or null when it is dropped. Of the application segments only
 * JFIF (APP0, its thumbnail removed), the ICC colour profile (APP2) and Adobe's colour transform
 * (APP14) are kept; comments and every other APPn go, APP1 (EXIF, XMP) and APP13 (IPTC) among
 * them. With EXIF goes its orientation tag, so a photo taken sideways may show sideways; that is
 * accepted rather than keep a block that also holds the GPS position and the camera's serial.
 */
function keptJpegSegment(segment: Uint8Array): Uint8Array | null {
  const marker = segment[1]!;
  if (marker === 0xfe) return null;
  if (marker < 0xe0 || marker > 0xef) return segment;
  if (marker === 0xe0 && hasText(segment, 4, 'JFIF\0') && segment.length >= 18) {
    if (segment.length === 18 && segment[16] === 0 && segment[17] === 0) return segment;
    const bare = segment.slice(0, 18);
    bare.set([0, 16], 2);
    bare.set([0, 0], 16);
    return bare;
  }
  if (marker === 0xe2 && hasText(segment, 4, 'ICC_PROFILE\0')) return segment;
  if (marker === 0xee && hasText(segment, 4, 'Adobe')) return segment;
  return null;
}

/**
 * The chunks a PNG keeps besides the critical ones: those that change how the pixels look or
 * move (transparency, colour, resolution, animation). Text, EXIF, time stamps, content
 * credentials and any private chunk are left out.
 */
const pngKept = new Set([
  ...['tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'cICP', 'mDCv', 'cLLI', 'sBIT', 'bKGD', 'pHYs', 'hIST', 'sPLT'],
  ...['acTL', 'fcTL', 'fdAT'],
]);

/** A PNG with its chunks copied as they are (CRCs included) but for the ones left out; null if malformed. */
function stripPng(bytes: Uint8Array): Uint8Array | null {
  if (!startsWith(bytes, magic.png)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const type = textAt(bytes, at + 4, 4);
    const end = at + 12 + view.getUint32(at);
    if (!/^[A-Za-z]{4}$/.test(type) || end > bytes.length) return null;
    if (at === 8 && type !== 'IHDR') return null;
    const critical = type.charCodeAt(0) < 0x61;
    if (critical || pngKept.has(type)) kept.push(bytes.subarray(at, end));
    if (type === 'IEND') return concatBytes(kept);
    at = end;
  }
  return null;
}

/** WebP chunks that hold or describe the image; EXIF, XMP and anything unknown are left out. */
const webpKept = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);

/**
 * A WebP with its metadata chunks removed, the extended header's EXIF and XMP flags cleared and
 * the RIFF size written anew; null if malformed. Anything past the RIFF size is not kept.
 */
function stripWebp(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length < 20 || !hasText(bytes, 0, 'RIFF') || !hasText(bytes, 8, 'WEBP')) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const limit = 8 + view.getUint32(4, true);
  if (limit > bytes.length) return null;
  const kept: Uint8Array[] = [bytes.slice(0, 12)];
  let at = 12;
  while (at < limit) {
    if (at + 8 > limit) return null;
    const fourcc = textAt(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size % 2);
    if (end > limit) return null;
    if (at === 12 && !['VP8 ', 'VP8L', 'VP8X'].includes(fourcc)) return null;
    if (fourcc === 'VP8X') {
      if (size < 10) return null;
      const header = bytes.slice(at, end);
      header[8] = header[8]! & ~0x0c;
      kept.push(header);
    } else if (webpKept.has(fourcc)) {
      kept.push(bytes.subarray(at, end));
    }
    at = end;
  }
  if (kept.length < 2) return null;
  const out = concatBytes(kept);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}
