/** What a flow asks of the server when a photo or document comes in the middle of it. */
import type { FileAccepts, FileRefusal } from './rules.ts';

export type HoldResult = { ok: true; name: string } | { ok: false; why: FileRefusal; maxBytes: number };

export interface FileEffects {
  /** The draft takes the sender's file (fetched from then on, where it still has to be). */
  'file.hold': { effect: { id: string; accepts: FileAccepts }; result: HoldResult };
}
