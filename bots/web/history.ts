/**
 * The web chat's history port: what each visitor sent and was sent, kept by the server (sealed,
 * opened only for the visitor). The channel reads it for the page's long poll and adds to it what
 * it delivers and its own notices (a session that could not be continued); what a visitor sends is
 * kept by the intake, with the inbox row.
 */
import type { WebBubble } from './render.ts';

export interface WebMessage {
  id: number;
  direction: 'in' | 'out';
  payload: Record<string, unknown>;
  /** When it was stored, ISO 8601. */
  at: string;
}

export interface WebHistory {
  /** The visitor's messages after an id, oldest first, at most `limit`. */
  after(visitor: string, afterId: number, limit: number): Promise<WebMessage[]>;
  /**
   * Keeps a delivered bubble once per key; a repeated delivery returns the first one's id.
   * `topic` tags bubbles that may have to be found again without opening them (a poll's reminders).
   */
  delivered(visitor: string, key: string, bubble: WebBubble, topic?: string): Promise<number>;
}
