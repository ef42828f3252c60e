/** Every flow and command the bot offers, in menu order. */
import { consoleCommand } from './console.ts';
import { helpFlow } from './help/flow.ts';
import { mineCommand } from './mine.ts';
import { cosignCommand } from './motion/cosign.ts';
import { motionFlow } from './motion/flow.ts';
import { newsCommand, subscribeCommand } from './news/news.ts';
import { handleCommand, viewCommand } from './officer.ts';
import { assignCommand, profileCommand } from './people.ts';
import { pollCommand } from './polls/command.ts';
import { rateCommand } from './rating.ts';
import { digestCommand, schedulesCommand } from './schedules.ts';
import { suggestionFlow } from './suggestion/flow.ts';

export const flows = [suggestionFlow, motionFlow, helpFlow];
export const commands = [
  mineCommand,
  newsCommand,
  subscribeCommand,
  rateCommand,
  profileCommand,
  cosignCommand,
  viewCommand,
  handleCommand,
  assignCommand,
  digestCommand,
  pollCommand,
  schedulesCommand,
  consoleCommand,
];
