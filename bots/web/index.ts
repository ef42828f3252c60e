/**
 * The web chat as a channel: its sender writes to the visitor's history and wakes their page,
 * its routes serve the page, take messages in and answer the page's long poll.
 */
import type { Channel } from '../core/channel.ts';
import type { Intake } from '../core/intake.ts';
import { WebChatHub } from './hub.ts';
import { type WebChatDeps, webChatRoutes } from './routes.ts';
import { createWebSender } from './sender.ts';

export type WebChannelDeps = Omit<WebChatDeps, 'hub'>;

export function createWebChannel(deps: WebChannelDeps): Channel & { hub: WebChatHub } {
  const hub = new WebChatHub();
  return {
    name: 'web',
    hub,
    sender: createWebSender(deps.history, hub),
    routes: (intake: Intake) => webChatRoutes({ ...deps, hub }, intake),
  };
}
