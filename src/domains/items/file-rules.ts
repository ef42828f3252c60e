/**
 * Checks a file before it is kept: its size, and its type found from its content, never from its
 * name (see file-check.ts); a photo loses its metadata (place, device, author) first.
 */
import type { FileAccepts, FileRefusal } from '../../../flows/files/rules.ts';
import { type FileType, sniffFile, stripPhotoMetadata } from './file-check.ts';

export type CheckedFile = { ok: true; type: FileType; bytes: Uint8Array } | { ok: false; why: FileRefusal };

/**
 * Checks a file's size and content; a photo comes back without its metadata. `accepts` is what the
 * draft or item holding it takes (unknown yet for a web upload: then any accepted type passes).
 */
export function checkFile(bytes: Uint8Array, maxBytes: number, accepts: FileAccepts = 'any'): CheckedFile {
  if (bytes.byteLength > maxBytes) return { ok: false, why: 'too_large' };
  const sniffed = sniffFile(bytes);
  if (!sniffed.ok) return { ok: false, why: sniffed.why === 'unknown' ? 'type' : sniffed.why };
  if (accepts === 'photo' && sniffed.type.class !== 'photo') return { ok: false, why: 'photo_only' };
  if (sniffed.type.class !== 'photo') return { ok: true, type: sniffed.type, bytes };
  const stripped = stripPhotoMetadata(bytes, sniffed.type.mime);
  return stripped ? { ok: true, type: sniffed.type, bytes: stripped } : { ok: false, why: 'unreadable' };
}
