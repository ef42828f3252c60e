/**
 * The Lark stand-in's message files: `GET /open-apis/im/v1/messages/:message_id/resources/:file_key`
 * with `type` image or file, answered as test/fixtures/lark/message-resource.ts documents it: the
 * bytes with their Content-Type, or a JSON refusal with a code (234043 for a card's resource; 234003
 * for a key that is not in that message, as we understand the error table).
 */
export interface StandInFile {
  type: 'image' | 'file';
  bytes: Uint8Array;
  contentType: string;
  /** Refused as a card's or merged-forward message's resource is. */
  card?: boolean;
}

/** By `message_id/file_key`. */
export type StandInFiles = Map<string, StandInFile>;

export function resourceAnswer(
  files: StandInFiles,
  path: string,
  query: Record<string, string>,
): { bytes: Uint8Array; contentType: string } | { code: number } | null {
  const match = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(path);
  if (!match) return null;
  if (query.type !== 'image' && query.type !== 'file') return { code: 234001 };
  const file = files.get(`${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`);
  if (!file || file.type !== query.type) return { code: 234003 };
  if (file.card) return { code: 234043 };
  return { bytes: file.bytes, contentType: file.contentType };
}
