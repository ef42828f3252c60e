/** The database side of the flows' effects, performed inside the transaction of one message. */
import type { Inbound } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { effectAction } from '../../flows/access/effects.ts';
import { allows } from '../../flows/access/rules.ts';
import type { Effect, EffectResults } from '../../flows/effects.ts';
import type { EffectPort, Role } from '../../flows/engine/types.ts';
import { createSignInLink } from '../console/sessions.ts';
import { createHelpRequest } from '../domains/help/store.ts';
import { assignFromChat } from '../domains/items/assign-from-chat.ts';
import { moveCase, viewCase } from '../domains/items/cases.ts';
import { listAwaitingRating, rateSubmission } from '../domains/items/ratings.ts';
import { createSuggestion, getMine, listMine } from '../domains/items/store.ts';
import { answerInvitation, createMotion, type MotionRules } from '../domains/motions/store.ts';
import { changeSubscriptions, latestNews } from '../domains/news/store.ts';
import { actorWithRole } from '../domains/people/actors.ts';
import { profileOf, publicProfile } from '../domains/people/directory.ts';
import { setLanguage } from '../domains/people/people.ts';
import {
  cancelPollFromChat,
  closePollFromChat,
  createPollFromChat,
  listPollsForChat,
  pollResultsForChat,
} from '../domains/polls/chat.ts';
import { actFromChat, createFromChat, digestSettings, listForChat } from '../domains/schedules/chat.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import { audit } from './audit.ts';

export interface EffectScope {
  personId: string;
  inbound: Pick<Inbound, 'channel' | 'chat'>;
  now: Date;
  timeZone: string;
  keyRing: KeyRing;
  /** Hours within which an officer must acknowledge a help request. */
  helpAckHours: number;
  /** The person's role (officers' commands check what they may handle). */
  role: Role;
  motionRules: MotionRules;
  publicUrl: string;
}

/**
 * The port the engine performs a message's effects through, in that message's transaction, and
 * whether the person wrote an item as its author (filed or rated it), which may be anonymous.
 */
export function createEffectPort(tx: Db, scope: EffectScope): EffectPort & { authorWrote(): boolean } {
  let authorWrote = false;
  const perform = async (effect: Effect): Promise<EffectResults[Effect['type']]> => {
    // The engine refuses a command the person's role may not use, by the same rules; this is the
    // second lock, so no path to the store skips them.
    const action = effectAction(effect);
    if (!allows(scope.role, action)) throw new Error(`a ${scope.role} may not ${action} (${effect.type})`);
    switch (effect.type) {
      case 'suggestion.create':
        authorWrote ||= effect.draft.anonymous;
        return createSuggestion(tx, effect.draft, {
          personId: scope.personId,
          channel: scope.inbound.channel,
          chatId: scope.inbound.chat.id,
          now: scope.now,
          timeZone: scope.timeZone,
          keyRing: scope.keyRing,
        });
      case 'help.create':
        return createHelpRequest(tx, effect.draft, {
          personId: scope.personId,
          channel: scope.inbound.channel,
          chatId: scope.inbound.chat.id,
          now: scope.now,
          timeZone: scope.timeZone,
          keyRing: scope.keyRing,
          ackHours: scope.helpAckHours,
        });
      case 'motion.create':
        return createMotion(tx, effect.draft, {
          personId: scope.personId,
          channel: scope.inbound.channel,
          chatId: scope.inbound.chat.id,
          now: scope.now,
          timeZone: scope.timeZone,
          keyRing: scope.keyRing,
          ...scope.motionRules,
        });
      case 'motion.cosign':
        return answerInvitation(tx, {
          personId: scope.personId,
          referenceCode: effect.referenceCode,
          accept: effect.accept,
          now: scope.now,
          rules: scope.motionRules,
          keyRing: scope.keyRing,
        });
      case 'items.mine':
        return listMine(tx, scope.keyRing, scope.personId, effect.limit);
      case 'items.one':
        return { item: await getMine(tx, scope.personId, effect.referenceCode, scope.keyRing) };
      case 'person.language':
        await setLanguage(tx, scope.personId, effect.language);
        await audit(tx, {
          at: scope.now,
          actorType: 'person',
          actorId: scope.personId,
          action: 'person.language',
          subjectType: 'person',
          subjectId: scope.personId,
          detail: { language: effect.language },
        });
        return { language: effect.language };
      case 'person.profile': {
        const profile = await profileOf(tx, { personId: scope.personId });
        if (!profile) throw new Error('the person of this message is gone');
        return { profile: publicProfile(profile) };
      }
      case 'person.assign':
        return assignFromChat(tx, scope, effect);
      case 'item.rate':
        authorWrote = true;
        return rateSubmission(tx, scope.keyRing, {
          personId: scope.personId,
          ...effect,
          now: scope.now,
        });
      case 'case.view':
      case 'case.move': {
        const officer = {
          motionRules: scope.motionRules,
          actor: await actorWithRole(tx, scope.personId, scope.role),
          keyRing: scope.keyRing,
          now: scope.now,
          timeZone: scope.timeZone,
        };
        return effect.type === 'case.view'
          ? viewCase(tx, effect.referenceCode, officer)
          : moveCase(tx, effect, officer);
      }
      case 'items.awaiting_rating':
        return { items: await listAwaitingRating(tx, scope.keyRing, scope.personId, effect.limit) };
      case 'news.latest':
        return { items: await latestNews(tx, scope.personId, effect.limit, scope.publicUrl) };
      case 'news.subscriptions':
        return { optedOut: await changeSubscriptions(tx, scope.personId, effect.change, scope.now) };
      case 'console.link': {
        // The link signs its holder in; like every reply, the one carrying it is stored sealed.
        const token = await createSignInLink(tx, scope.personId, scope.now);
        return token ? { ok: true, url: `${scope.publicUrl}/console/signin/link?t=${token}` } : { ok: false };
      }
      case 'schedules.list':
        return listForChat(tx);
      case 'schedules.act':
        return actFromChat(tx, effect.no, effect.action, scope.now);
      case 'schedules.create':
        return createFromChat(
          tx,
          {
            cron: effect.cron,
            text: effect.text,
            channel: scope.inbound.channel,
            chatId: scope.inbound.chat.id,
            timeZone: scope.timeZone,
          },
          scope.now,
        );
      case 'digest.settings':
        return digestSettings(tx, scope.personId, effect.change, scope.now);
      case 'polls.list':
        return listPollsForChat(tx, effect.limit);
      case 'polls.create':
        return createPollFromChat(tx, effect.draft, scope);
      case 'polls.results':
        return pollResultsForChat(tx, effect.ref);
      case 'polls.close':
        return closePollFromChat(tx, effect.ref, scope);
      case 'polls.cancel':
        return cancelPollFromChat(tx, effect.ref, scope);
    }
  };
  return { perform: perform as EffectPort['perform'], authorWrote: () => authorWrote };
}
