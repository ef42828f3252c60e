/**
 * Reads a body up to a limit, for files downloaded from the Open API: the bytes, or word that it ran
 * past the limit (reading stops there, so a huge file costs no more than the limit). Either the
 * web's ReadableStream or Node's readable stream (what the SDK hands back), as both are async
 * iterables of byte chunks.
 */
import { concatBytes } from '../../kernel/bytes.ts';
export async function readLimited(
  stream: AsyncIterable<Uint8Array> | null | undefined,
  maxBytes: number,
  stop: () => void,
): Promise<{ bytes: Uint8Array } | { tooLarge: true }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream ?? []) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      stop();
      return { tooLarge: true };
    }
    chunks.push(chunk);
  }
  return { bytes: concatBytes(chunks) };
}

/** A refusal's JSON body, when the platform answered one instead of the file. */
export function refusalBody(bytes: Uint8Array): { code?: number; msg?: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed && typeof parsed === 'object' ? (parsed as { code?: number; msg?: string }) : undefined;
  } catch {
    return undefined;
  }
}

/** A web ReadableStream as an async iterable, read through its reader (every runtime has one). */
export async function* chunksOf(stream: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) yield read.value;
  } finally {
    reader.releaseLock();
  }
}
