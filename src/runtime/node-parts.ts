/**
 * The parts of the services that differ on Node: Chart.js read from the installed package,
 * node:crypto for Lark's signatures, and the official Lark SDK for sending.
 */
import { nodeLarkCrypto } from '../../bots/lark/crypto-node.ts';
import { sdkTransport } from '../../bots/lark/sdk-transport.ts';
import { chartScriptFromPackage } from '../console/chart-asset-node.ts';

export const nodeParts = {
  chartScript: chartScriptFromPackage,
  larkCrypto: nodeLarkCrypto,
  larkTransport: sdkTransport,
};
