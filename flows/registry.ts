/** Every flow and command the bot offers, in menu order. */
import { bindCodeCommand, bindCommand, nameCommand } from './commands/binding.ts';
import { caseReplyFlow } from './commands/case-reply.ts';
import { consoleCommand } from './commands/console.ts';
import { mineCommand } from './commands/mine.ts';
import { handleCommand, viewCommand } from './commands/officer.ts';
import { assignCommand, profileCommand } from './commands/people.ts';
import { rateCommand } from './commands/rating.ts';
import { digestCommand, schedulesCommand } from './commands/schedules.ts';
import { itemReplyFlow, officerMessageCommand, replyCommand } from './commands/thread.ts';
import { helpFlow } from './help/flow.ts';
import { cosignCommand } from './motion/cosign.ts';
import { motionFlow } from './motion/flow.ts';
import { newsCommand, subscribeCommand } from './news/news.ts';
import { pollCommand } from './polls/command.ts';
import { suggestionFlow } from './suggestion/flow.ts';

export const flows = [suggestionFlow, motionFlow, helpFlow, itemReplyFlow, caseReplyFlow];
export const commands = [
  mineCommand,
  newsCommand,
  subscribeCommand,
  rateCommand,
  profileCommand,
  bindCommand,
  bindCodeCommand,
  nameCommand,
  cosignCommand,
  viewCommand,
  handleCommand,
  officerMessageCommand,
  replyCommand,
  assignCommand,
  digestCommand,
  pollCommand,
  schedulesCommand,
  consoleCommand,
];
