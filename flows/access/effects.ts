/**
 * The action each effect a chat flow or command declares falls under, so the port that performs
 * effects can hold every one of them to the access rules (a second lock behind the engine's, which
 * refuses commands by the same rules). A new effect does not compile until it is given one.
 */
import type { Effect } from '../effects.ts';
import type { Action } from './rules.ts';

export function effectAction(effect: Effect): Action {
  switch (effect.type) {
    case 'suggestion.create':
    case 'help.create':
      return 'item.file';
    case 'motion.create':
      return 'motion.file';
    case 'motion.cosign':
      return 'motion.cosign';
    case 'item.message':
    case 'file.hold':
    case 'items.mine':
    case 'items.one':
    case 'items.awaiting_rating':
    case 'item.rate':
    case 'person.language':
    case 'person.profile':
    case 'person.bind':
    case 'person.bind_code':
    case 'person.name':
    case 'news.latest':
    case 'news.subscriptions':
      return 'self.use';
    case 'case.view':
      return 'item.read';
    case 'case.move':
    case 'case.check':
    case 'case.message':
      return 'item.move';
    case 'person.assign':
      return 'people.assign';
    case 'console.link':
      return 'console.enter';
    case 'schedules.list':
      return 'schedule.list';
    case 'schedules.act':
      return effect.action === 'run' ? 'schedule.run' : 'schedule.change';
    case 'schedules.create':
      return 'schedule.change';
    case 'digest.settings':
      return 'digest.own';
    case 'polls.list':
      return 'poll.list';
    case 'polls.create':
      return 'poll.start';
    case 'polls.results':
      return 'poll.read';
    case 'polls.close':
      return 'poll.close';
    case 'polls.cancel':
      return 'poll.cancel';
  }
}
