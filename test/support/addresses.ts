/** Reaching a server under test by more than one of this machine's addresses. */
import { networkInterfaces } from 'node:os';

/**
 * An address of this machine other than 127.0.0.1: a network interface's, or else 127.0.0.2,
 * which Linux serves on the loopback too. A server listening on 127.0.0.1 alone refuses it.
 */
export const otherAddress =
  Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? '127.0.0.2';

/** What a request to this address and port comes to: the status, or the connection's error code. */
export async function reach(address: string, port: string): Promise<number | string> {
  try {
    return (await fetch(`http://${address}:${port}/healthz`)).status;
  } catch (error) {
    return String((error as { cause?: { code?: string } }).cause?.code ?? error);
  }
}
