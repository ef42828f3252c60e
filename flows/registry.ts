/** Every flow and command the bot offers, in menu order. */
import { helpFlow } from './help/flow.ts';
import { mineCommand } from './mine.ts';
import { cosignCommand } from './motion/cosign.ts';
import { motionFlow } from './motion/flow.ts';
import { handleCommand, viewCommand } from './officer.ts';
import { assignCommand, profileCommand } from './people.ts';
import { rateCommand } from './rating.ts';
import { suggestionFlow } from './suggestion/flow.ts';

export const flows = [suggestionFlow, motionFlow, helpFlow];
export const commands = [
  mineCommand,
  rateCommand,
  profileCommand,
  cosignCommand,
  viewCommand,
  handleCommand,
  assignCommand,
];
