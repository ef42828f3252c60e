/** The 投票 section's form read as the officer API's body, with refusals in both languages. */
import { defaultCommentThreshold, defaultThreshold } from '../../../flows/polls/kinds.ts';
import type { L10n } from '../../../kernel/l10n.ts';
import { audienceFrom, type Form, field, fromLocalInput, lines } from '../../console/form.ts';
import { text } from './console-text.ts';

/** A number field: undefined when empty, NaN (refused by the schema) when not a number. */
export const numberOf = (value: string) => (value === '' ? undefined : Number(value));
export const minutesOf = (hours: string) => {
  const n = numberOf(hours);
  return n === undefined ? undefined : Math.round(n * 60);
};

/** What the form says, as the officer API's body; a message when a time cannot be read. */
export function bodyOf(
  form: Form,
  timeZone: string,
): { ok: true; body: unknown } | { ok: false; message: L10n } {
  const f = (name: string) => field(form, name);
  const when = (name: string) => {
    const value = f(name);
    if (value === '') return undefined;
    return fromLocalInput(value, timeZone)?.toISOString() ?? null;
  };
  const opensAt = when('opensAt');
  const closesAt = when('closesAt');
  if (opensAt === null || closesAt === null) return { ok: false, message: text.badTime };
  let repeat: { cron: string; timeZone: string } | undefined;
  if (f('repeat') === 'on') {
    const time = /^(\d{2}):(\d{2})$/.exec(f('repeatTime'));
    const day = Number(f('repeatDay'));
    if (!time || !Number.isInteger(day) || day < 0 || day > 6) return { ok: false, message: text.badTime };
    repeat = { cron: `${Number(time[2])} ${Number(time[1])} * * ${day}`, timeZone };
  }
  const remind = minutesOf(f('remindHours'));
  const body = {
    question: f('question'),
    kind: f('kind'),
    options: lines(f('options')),
    allowComment: f('allowComment') === 'on',
    audience: audienceFrom(form),
    threshold: numberOf(f('threshold')) ?? defaultThreshold,
    commentThreshold: numberOf(f('commentThreshold')) ?? defaultCommentThreshold,
    remindAfterMinutes: remind ?? null,
    ...(opensAt ? { opensAt } : {}),
    ...(closesAt ? { closesAt } : {}),
    ...(f('durationHours') !== '' ? { durationMinutes: minutesOf(f('durationHours')) } : {}),
    ...(repeat ? { repeat } : {}),
  };
  return { ok: true, body };
}
