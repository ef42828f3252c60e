/**
 * Reads a request body as bytes, refusing it past a limit. On Node the body is read straight
 * from the socket's stream (building a Web Request and stream around it cost more than the rest
 * of a Lark acknowledgement); elsewhere through the standard Request.
 */
import type { Context } from 'hono';

/** What @hono/node-server puts in `c.env`: the incoming message, a readable stream. */
interface NodeIncoming {
  readonly readableEnded: boolean;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'aborted', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event: string): unknown;
  resume(): unknown;
}

function nodeIncoming(c: Context): NodeIncoming | null {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (!incoming || typeof incoming !== 'object') return null;
  const candidate = incoming as Partial<NodeIncoming>;
  return typeof candidate.on === 'function' && candidate.readableEnded === false
    ? (incoming as NodeIncoming)
    : null;
}

/** The body, or `null` when it is longer than `limit` bytes (the rest is then not kept). */
export async function readRawBody(c: Context, limit: number): Promise<Uint8Array | null> {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) return null;
  const incoming = nodeIncoming(c);
  if (!incoming) {
    const body = new Uint8Array(await c.req.arrayBuffer());
    return body.length > limit ? null : body;
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    incoming.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        // Stop keeping it; the server discards the rest once the answer is sent.
        incoming.removeAllListeners('data');
        incoming.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => resolve(concat(chunks, size)));
    incoming.on('aborted', () => reject(new Error('request aborted')));
    incoming.on('error', reject);
  });
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
