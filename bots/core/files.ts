/**
 * The files port: a photo or document a person sent in a channel, fetched after the message was
 * taken in (never inside its transaction). The channel names the file by the `ref` it wrote into
 * the inbound event; the server keeps the ref sealed until the file is fetched.
 */

export type FetchedFile =
  | { ok: true; bytes: Uint8Array; contentType?: string }
  /**
   * Refused for good: past the limit (`too_large`), no longer there or never ours to read
   * (`gone`), or the app may not read it (`no_permission`). `detail` is the platform's word, for the log.
   */
  | { ok: false; why: 'too_large' | 'gone' | 'no_permission'; detail: string };

export interface MessageFiles {
  /** Fetches the file, reading at most `maxBytes`; throws when it may succeed later (no answer, a limit, a fault). */
  fetch(ref: string, maxBytes: number): Promise<FetchedFile>;
}
