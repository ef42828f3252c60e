/**
 * The effects flows may declare, and what each returns. The engine hands them to an
 * `EffectPort`; the server implements it inside the message's transaction.
 */
import type { Lang } from './engine/l10n.ts';
import type { SuggestionDraft } from './suggestion/draft.ts';

/** One line of 我的/mine. */
export interface MineItem {
  referenceCode: string;
  kind: 'suggestion';
  title: string;
  status: string;
  /** ISO time of the last change. */
  updatedAt: string;
}

/** One of the person's items in full, for a reference code typed in chat. */
export interface ItemDetail extends MineItem {
  category: string;
  createdAt: string;
  /** The officers' latest reply, if any. */
  lastReply: string | null;
}

export type Effect =
  | { type: 'suggestion.create'; draft: SuggestionDraft }
  | { type: 'items.mine'; limit: number }
  /** Only the person's own item is found; anyone else's reads as not found. */
  | { type: 'items.one'; referenceCode: string }
  | { type: 'person.language'; language: Lang };

export interface EffectResults {
  'suggestion.create': { referenceCode: string; status: string; createdAt: string };
  'items.mine': { items: MineItem[]; total: number };
  'items.one': { item: ItemDetail | null };
  'person.language': { language: Lang };
}
