/** The schedules' side of the flows' effects: officers' schedules in chat, and a person's digest. */
import type { ScheduleEffects } from '../../../flows/commands/schedule-effects.ts';
import type { EffectHandlers } from '../../pipeline/effect-handlers.ts';
import { actFromChat, createFromChat, digestSettings, listForChat } from './chat.ts';

export const scheduleEffects: EffectHandlers<ScheduleEffects> = {
  'schedules.list': (tx) => listForChat(tx),
  'schedules.act': (tx, effect, scope) => actFromChat(tx, effect.no, effect.action, scope.now),
  'schedules.create': (tx, effect, scope) =>
    createFromChat(
      tx,
      {
        cron: effect.cron,
        text: effect.text,
        channel: scope.inbound.channel,
        chatId: scope.inbound.chat.id,
        timeZone: scope.timeZone,
      },
      scope.now,
    ),
  'digest.settings': (tx, effect, scope) => digestSettings(tx, scope.personId, effect.change, scope.now),
};
