/** The photos and documents a draft holds until it is filed: their ids, the rule, and the line on the summary. */
import { z } from 'zod';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';
import type { FileRule } from '../engine/types.ts';
import { type FileAccepts, filesPerItem } from './rules.ts';

/** The server's ids of the files a draft holds. */
export const draftFilesSchema = z.array(z.uuid()).max(filesPerItem);

/** A draft keeps its files in `files`, adding each as it comes. */
export function draftFileRule<D extends { files?: string[] | undefined }>(accepts: FileAccepts): FileRule<D> {
  return {
    accepts,
    held: (data) => data.files ?? [],
    add: (data, id) => ({ ...data, files: [...(data.files ?? []), id] }),
  };
}

export const filesLabel: L10n = { zh: '附件', en: 'Attachments' };

/** The summary's line for a draft's files, when it has any. */
export function filesField(files: readonly string[] | undefined): { label: L10n; value: L10n }[] {
  return countField(files?.length ?? 0);
}

/** The receipt's line for the files that went on the item, when any did, in the person's language. */
export function filedFilesField(n: number, lang: Lang): { label: string; value: string }[] {
  return countField(n).map((f) => ({ label: t(lang, f.label), value: t(lang, f.value) }));
}

const countField = (n: number) =>
  n === 0 ? [] : [{ label: filesLabel, value: { zh: `${n} 个`, en: String(n) } }];
