/**
 * Reading a roster file into a table of cells: an Excel workbook (.xlsx, its first sheet) or a CSV
 * (UTF-8, or GB18030 as Excel on a Chinese Windows writes it). Anything else, a file too large,
 * a workbook that would unpack past its limit or one with too many rows is refused with the
 * limit stated; nothing of it is kept.
 */
import * as XLSX from '@e965/xlsx';
import type { L10n } from '../../../kernel/l10n.ts';

export const rosterLimits = {
  /** Bytes of the uploaded file. */
  fileBytes: 5 * 1024 * 1024,
  /** Bytes a workbook's parts may unpack to (a small zip can hold gigabytes). */
  unpackedBytes: 60 * 1024 * 1024,
  /** Members in one file, not counting the header. */
  rows: 10_000,
} as const;

export type Cell = string | number | boolean | Date | null;

export type ReadResult = { ok: true; rows: Cell[][] } | { ok: false; reason: L10n };

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

const refusals = {
  empty: { zh: '文件是空的。', en: 'The file is empty.' },
  tooLarge: {
    zh: `文件超过 ${mb(rosterLimits.fileBytes)}，请分成几个文件导入。`,
    en: `The file is larger than ${mb(rosterLimits.fileBytes)}; please split it into several files.`,
  },
  wrongType: {
    zh: '只能导入 Excel 工作簿（.xlsx）或 CSV 文件；.xls 请在 Excel 中另存为 .xlsx。',
    en: 'Only an Excel workbook (.xlsx) or a CSV file can be imported; save an .xls as .xlsx first.',
  },
  unpacksTooLarge: {
    zh: `工作簿解压后超过 ${mb(rosterLimits.unpackedBytes)}，不能导入。`,
    en: `The workbook unpacks to more than ${mb(rosterLimits.unpackedBytes)}; it cannot be imported.`,
  },
  unreadable: {
    zh: '文件打不开：它可能已损坏，或不是 Excel/CSV 文件。',
    en: 'The file cannot be read: it may be damaged, or not an Excel or CSV file.',
  },
  tooManyRows: {
    zh: `一次最多导入 ${rosterLimits.rows} 人，请分成几个文件。`,
    en: `At most ${rosterLimits.rows} people can be imported at once; please split the file.`,
  },
  noSheet: { zh: '工作簿里没有工作表。', en: 'The workbook has no sheet.' },
} satisfies Record<string, L10n>;

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);
const zipMagic = [0x50, 0x4b, 0x03, 0x04];
/** Formats that are not ours but are often renamed to look like ours: OLE (.xls, .doc), PE, ELF, PDF. */
const foreignMagic = [
  [0xd0, 0xcf, 0x11, 0xe0],
  [0x4d, 0x5a],
  [0x7f, 0x45, 0x4c, 0x46],
  [0x25, 0x50, 0x44, 0x46],
];

/**
 * A zip's entries as its central directory lists them, and what they say they unpack to; null
 * when it has none (not a zip we can read). Read before anything is unpacked.
 */
export function zipDirectory(bytes: Uint8Array): { names: string[]; unpacked: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = findEnd(view, bytes.length);
  if (at < 0) return null;
  const entries = view.getUint16(at + 10, true);
  let offset = view.getUint32(at + 16, true);
  let unpacked = 0;
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) return null;
    unpacked += view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    names.push(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return { names, unpacked };
}

/**
 * What the workbook's entries really unpack to, inflated here as a stream and counted, up to
 * `limit` (past it, the count so far): a zip can claim small sizes in its directory and hold far
 * more. Nothing is kept; the reader inflates again once this says the file is safe.
 */
export async function inflatedSize(bytes: Uint8Array, limit: number): Promise<number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view, bytes.length);
  if (end < 0) return Number.POSITIVE_INFINITY;
  let offset = view.getUint32(end + 16, true);
  let total = 0;
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50)
      return Number.POSITIVE_INFINITY;
    const method = view.getUint16(offset + 10, true);
    const packed = view.getUint32(offset + 20, true);
    const local = view.getUint32(offset + 42, true);
    offset +=
      46 +
      view.getUint16(offset + 28, true) +
      view.getUint16(offset + 30, true) +
      view.getUint16(offset + 32, true);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50)
      return Number.POSITIVE_INFINITY;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + packed);
    if (method === 0) total += data.length;
    else if (method !== 8) return Number.POSITIVE_INFINITY;
    else {
      const reader = new Blob([data.slice()])
        .stream()
        .pipeThrough(new DecompressionStream('deflate-raw'))
        .getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > limit) {
          await reader.cancel();
          return total;
        }
      }
    }
  }
  return total;
}

/** Where the end-of-central-directory record is (in the last 64 KiB + 22 bytes), or -1. */
function findEnd(view: DataView, length: number): number {
  for (let at = length - 22; at >= Math.max(0, length - 65_557); at--) {
    if (view.getUint32(at, true) === 0x06054b50) return at;
  }
  return -1;
}

/** The text of a CSV: UTF-8 (with or without its mark) when it is that, else GB18030. */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const looksLikeText = (bytes: Uint8Array) => !bytes.subarray(0, 4096).includes(0);

function firstSheet(book: XLSX.WorkBook): Cell[][] | null {
  const name = book.SheetNames[0];
  const sheet = name ? book.Sheets[name] : undefined;
  if (!sheet) return null;
  return XLSX.utils.sheet_to_json<Cell[]>(sheet, { header: 1, raw: true, defval: null, blankrows: true });
}

/** The cells of a roster file, the header row first. */
export async function readRosterFile(bytes: Uint8Array): Promise<ReadResult> {
  if (bytes.length === 0) return { ok: false, reason: refusals.empty };
  if (bytes.length > rosterLimits.fileBytes) return { ok: false, reason: refusals.tooLarge };
  if (foreignMagic.some((m) => startsWith(bytes, m))) return { ok: false, reason: refusals.wrongType };
  let book: XLSX.WorkBook;
  try {
    if (startsWith(bytes, zipMagic)) {
      const zip = zipDirectory(bytes);
      if (zip === null) return { ok: false, reason: refusals.unreadable };
      // A zip that is not an Excel workbook (.docx, .ods, a renamed archive) is not read at all.
      if (!zip.names.includes('xl/workbook.xml')) return { ok: false, reason: refusals.wrongType };
      if (zip.unpacked > rosterLimits.unpackedBytes) return { ok: false, reason: refusals.unpacksTooLarge };
      // The directory's sizes are the zip's word only: what the entries really inflate to is counted.
      if ((await inflatedSize(bytes, rosterLimits.unpackedBytes)) > rosterLimits.unpackedBytes) {
        return { ok: false, reason: refusals.unpacksTooLarge };
      }
      book = XLSX.read(bytes, {
        type: 'array',
        cellDates: true,
        UTC: true,
        dense: true,
        sheetRows: rosterLimits.rows + 2,
        bookFiles: false,
      });
    } else if (looksLikeText(bytes)) {
      book = XLSX.read(decodeCsv(bytes), {
        type: 'string',
        raw: true,
        dense: true,
        sheetRows: rosterLimits.rows + 2,
      });
    } else {
      return { ok: false, reason: refusals.wrongType };
    }
  } catch {
    return { ok: false, reason: refusals.unreadable };
  }
  const rows = firstSheet(book);
  if (!rows) return { ok: false, reason: refusals.noSheet };
  if (rows.length === 0) return { ok: false, reason: refusals.empty };
  if (rows.length > rosterLimits.rows + 1) return { ok: false, reason: refusals.tooManyRows };
  return { ok: true, rows };
}
