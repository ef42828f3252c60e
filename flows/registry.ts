/** Every flow and command the bot offers, in menu order. */
import { helpFlow } from './help/flow.ts';
import { mineCommand } from './mine.ts';
import { handleCommand, viewCommand } from './officer.ts';
import { assignCommand, profileCommand } from './people.ts';
import { rateCommand } from './rating.ts';
import { suggestionFlow } from './suggestion/flow.ts';

export const flows = [suggestionFlow, helpFlow];
export const commands = [mineCommand, rateCommand, profileCommand, viewCommand, handleCommand, assignCommand];
