/**
 * The parts of the services that differ on Node: Chart.js read from the installed package,
 * node:crypto for Lark's signatures, the official Lark SDK for sending and for the long
 * connection, and the socket's peer as where a request came from.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { nodeLarkCrypto } from '../../bots/lark/crypto-node.ts';
import { startLarkLongConnection } from '../../bots/lark/long-connection.ts';
import { sdkTransport } from '../../bots/lark/sdk-transport.ts';
import { chartScriptFromPackage } from '../console/chart-asset-node.ts';

/** The socket's remote address; none for a request not made over a socket (a test's app.request). */
function socketPeer(c: Context): string | undefined {
  const env = c.env as { incoming?: unknown; server?: { incoming?: unknown } } | undefined;
  if (!env?.incoming && !env?.server?.incoming) return undefined;
  return getConnInfo(c).remote.address;
}

export const nodeParts = {
  chartScript: chartScriptFromPackage,
  larkCrypto: nodeLarkCrypto,
  larkTransport: sdkTransport,
  larkLongConnection: startLarkLongConnection,
  peerAddress: socketPeer,
};
