/** What the item commands (我的, a reference typed in, rating, officers' cases) ask of the server. */
import type { FileRefusal } from '../files/rules.ts';

/** One line of 我的/mine. */
export interface MineItem {
  referenceCode: string;
  kind: 'suggestion' | 'help_request' | 'motion';
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

export type RateOutcome = { ok: true } | { ok: false; reason: 'not_found' | 'not_closed' | 'already_rated' };

/** An item as an officer sees it in chat. */
export interface CaseView {
  kind: string;
  referenceCode: string;
  title: string;
  /** Suggestion category or help kind. */
  category: string;
  status: string;
  nextStatuses: string[];
  proposer: string | null;
  /** false: 未核实, a web visitor nobody vouched for; null when anonymous. */
  proposerVerified?: boolean | null;
  /** Field name → value (a help request's opened situation and contact included). */
  details: Record<string, string>;
  createdAt: string;
}

export type CaseOutcome =
  | { ok: true; item: CaseView }
  | {
      ok: false;
      reason:
        | 'not_found'
        | 'not_yours'
        | 'reply_required'
        | 'not_cosigned'
        | 'grade_required'
        | 'send_back_closed';
    }
  | { ok: false; reason: 'not_allowed'; kind: string; from: string; allowed: string[] };

/** The author's message on their own item (an answer, or 补充说明). */
export type ItemMessageOutcome =
  | { ok: true; referenceCode: string }
  | { ok: false; reason: 'not_found' | 'closed' }
  /** A file sent as the message was not taken (see FileRefusal). */
  | { ok: false; reason: 'file'; why: FileRefusal; maxBytes: number };

/** An officer's message on an item they handle: 仅答复, or a question. */
export type CaseMessageOutcome = { ok: true } | { ok: false; reason: 'not_found' | 'not_yours' };

export interface ItemEffects {
  /** The person writes on their own open item; it reaches the officers handling it. */
  /** The author writes on their own item: words, or a photo or document (`file`, the server's id and name). */
  'item.message': {
    effect: { referenceCode: string; text: string; file?: { id: string; name: string } };
    result: ItemMessageOutcome;
  };
  /** Whether this officer may move the item (before asking them for the reply). */
  'case.check': {
    effect: { referenceCode: string; status: string };
    result: { ok: true } | Extract<CaseOutcome, { ok: false }>;
  };
  /** An officer writes to an item's author without moving it: a reply, or a question. */
  'case.message': {
    effect: { referenceCode: string; text: string; question: boolean };
    result: CaseMessageOutcome;
  };
  'items.mine': { effect: { limit: number }; result: { items: MineItem[]; total: number } };
  /** Only the person's own item is found; anyone else's reads as not found. */
  'items.one': { effect: { referenceCode: string }; result: { item: ItemDetail | null } };
  /** Rates one of the person's own closed items, once. */
  'item.rate': { effect: { referenceCode: string; rating: 1 | 2 | 3; comment: string }; result: RateOutcome };
  /** The person's closed items that have not been rated yet. */
  'items.awaiting_rating': {
    effect: { limit: number };
    result: { items: { referenceCode: string; title: string }[] };
  };
  /** An officer reads an item of a unit they handle (a help request's read is audited). */
  'case.view': { effect: { referenceCode: string }; result: CaseOutcome };
  /**
   * An officer moves an item on. `said` is what followed the reference: a status (its id or its
   * name in either language), then the reply the person is sent.
   */
  'case.move': { effect: { referenceCode: string; said: string }; result: CaseOutcome };
}
