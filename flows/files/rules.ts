/**
 * What may be attached to an item, and how a refusal is told: photos (JPEG, PNG, WebP) on
 * suggestions and help requests, documents (PDF, Word, Excel, PowerPoint) on help requests too, each
 * within the size limit (ATTACHMENT_MAX_MB), at most nine an item.
 */
import type { L10n } from '../../kernel/l10n.ts';

/** What a draft or an item takes: photos only (a suggestion), or documents too (a help request). */
export type FileAccepts = 'photo' | 'any';

/** Files one item may hold. */
export const filesPerItem = 9;

/** Why a file was not taken, as kept on its row. */
export type FileRefusal =
  | 'too_large'
  | 'empty'
  | 'executable'
  | 'type'
  | 'photo_only'
  | 'too_many'
  | 'gone'
  | 'unreadable'
  | 'failed'
  | 'loose';

const accepted = {
  zh: '可以发送 JPEG、PNG、WebP 照片；求助还可以发送 PDF、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx）文件',
  en: 'You can send JPEG, PNG or WebP photos; a help request also takes PDF, Word (.docx), Excel (.xlsx) and PowerPoint (.pptx) files',
};

const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);

/** The refusal in both languages, with the limit it broke. */
export function refusalText(why: FileRefusal, limits: { maxBytes: number; size?: number | null }): L10n {
  const max = Math.round(limits.maxBytes / 1_048_576);
  switch (why) {
    case 'too_large':
      return limits.size
        ? {
            zh: `文件过大：每个文件最多 ${max} MB，此文件 ${megabytes(limits.size)} MB。`,
            en: `The file is too large: at most ${max} MB each, this one is ${megabytes(limits.size)} MB.`,
          }
        : { zh: `文件过大：每个文件最多 ${max} MB。`, en: `The file is too large: at most ${max} MB each.` };
    case 'empty':
      return { zh: '文件是空的。', en: 'The file is empty.' };
    case 'executable':
      return {
        zh: `不接收程序、脚本或含宏的文件。${accepted.zh}，每个最多 ${max} MB。`,
        en: `Programs, scripts and files with macros are not taken. ${accepted.en}, at most ${max} MB each.`,
      };
    case 'type':
    case 'unreadable':
      return {
        zh: `不支持这种文件。${accepted.zh}，每个最多 ${max} MB。`,
        en: `This kind of file is not taken. ${accepted.en}, at most ${max} MB each.`,
      };
    case 'photo_only':
      return {
        zh: '建议只能附照片（JPEG、PNG、WebP）；文件可以在求助中发送。',
        en: 'A suggestion takes photos only (JPEG, PNG, WebP); documents can go with a help request.',
      };
    case 'too_many':
      return {
        zh: `每件最多附 ${filesPerItem} 个文件。`,
        en: `An item takes at most ${filesPerItem} files.`,
      };
    case 'gone':
      return {
        zh: '这个文件已无法取得，请重新发送。',
        en: 'This file can no longer be fetched; please send it again.',
      };
    case 'loose':
      return {
        zh: '您已发送的照片和文件还没有附到任何事项上，太多了：请先提交正在填写的事项，或稍后再发。',
        en: 'Too many of your photos and files are not on any item yet: submit what you are filling in first, or send them later.',
      };
    case 'failed':
      return {
        zh: '这个文件多次未能取得，请重新发送。',
        en: 'This file could not be fetched after several tries; please send it again.',
      };
  }
}
