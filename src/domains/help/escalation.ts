/**
 * Help requests nobody acknowledged in time go to the admins of the person's unit (or of a unit
 * above it; every admin when none is bound), once each, with the kind, urgency and age only.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Outbound } from '../../../bots/core/messenger.ts';
import { submissionEvents, submissions } from '../../../db/schema/index.ts';
import { type HelpKind, helpKindLabels, type Urgency, urgencyLabels } from '../../../flows/help/kinds.ts';
import { type Lang, t } from '../../../kernel/l10n.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { audit } from '../../pipeline/audit.ts';
import { responsibleContacts, tellContacts } from '../people/officer-contacts.ts';
import { overdueHelpRequests } from './store.ts';

function overdueNotice(
  item: { referenceCode: string; kind: HelpKind; urgency: Urgency; hours: number },
  lang: Lang,
): Outbound {
  return {
    type: 'summary',
    tone: 'warning',
    title: lang === 'zh' ? '求助超时未受理' : 'Help request not acknowledged in time',
    fields: [
      { label: lang === 'zh' ? '编号' : 'Reference', value: item.referenceCode },
      { label: lang === 'zh' ? '类别' : 'Kind', value: t(lang, helpKindLabels[item.kind]) },
      { label: lang === 'zh' ? '紧急程度' : 'Urgency', value: t(lang, urgencyLabels[item.urgency]) },
      {
        label: lang === 'zh' ? '已等待' : 'Waiting',
        value: lang === 'zh' ? `${item.hours} 小时` : `${item.hours} hours`,
      },
    ],
    text:
      lang === 'zh'
        ? '请尽快安排工会干部受理并联系求助人。'
        : 'Please have an officer acknowledge it and contact the person soon.',
  };
}

/** Escalates the overdue help requests it finds; resolves to how many. */
export function createHelpEscalation(ctx: Pick<Ctx, 'db' | 'now' | 'log' | 'keys'>): () => Promise<number> {
  return async () => {
    const now = ctx.now();
    const due = await overdueHelpRequests(ctx.db, now);
    let done = 0;
    for (const candidate of due) {
      const escalated = await ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(submissions)
          .where(
            and(
              eq(submissions.id, candidate.id),
              eq(submissions.status, 'new'),
              isNull(submissions.escalatedAt),
            ),
          )
          .for('update', { skipLocked: true });
        if (!row) return false;
        const contacts = await responsibleContacts(tx, row.orgUnitId, ['admin']);
        const hours = Math.floor((now.getTime() - row.createdAt.getTime()) / 3_600_000);
        const item = {
          referenceCode: row.referenceCode,
          kind: row.category as HelpKind,
          urgency: (row.details.urgency ?? 'normal') as Urgency,
          hours,
        };
        await tellContacts(tx, ctx.keys, contacts, (language) => overdueNotice(item, language));
        await tx.update(submissions).set({ escalatedAt: now }).where(eq(submissions.id, row.id));
        await tx.insert(submissionEvents).values({
          submissionId: row.id,
          at: now,
          actorType: 'system',
          type: 'escalated',
        });
        await audit(tx, {
          at: now,
          actorType: 'system',
          actorId: null,
          action: 'help_request.escalated',
          subjectType: 'submission',
          subjectId: row.referenceCode,
          detail: {
            notified: contacts.length,
            urgency: item.urgency,
            ackHours: row.ackDueAt
              ? Math.round((row.ackDueAt.getTime() - row.createdAt.getTime()) / 3_600_000)
              : null,
          },
        });
        if (contacts.length === 0) ctx.log.warn('help.escalation_unreachable', { ref: row.referenceCode });
        return true;
      });
      if (escalated) done++;
    }
    return done;
  };
}
