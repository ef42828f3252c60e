/**
 * Reading the console's forms: fields and lists, a datetime-local value read in the officers'
 * time zone, an audience (everyone, units, or chats given one a line), the audience fieldset
 * both the poll and the news forms show, and a bilingual message naming the fields zod refused.
 */
import { html } from 'hono/html';
import type { z } from 'zod';
import { channelNames } from '../../bots/core/messenger.ts';
import { formatTime, type L10n, type Lang, t } from '../../kernel/l10n.ts';
import type { OrgUnit } from '../domains/people/directory.ts';

export type Form = Record<string, string | File | (string | File)[]>;

/** A field's text, trimmed; '' when absent. A repeated field gives its first value. */
export function field(form: Form, name: string): string {
  const value = form[name];
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === 'string' ? one.trim() : '';
}

/** Every value of a repeated field (a multi-select). */
export function fieldList(form: Form, name: string): string[] {
  const value = form[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** Non-empty lines of a textarea. */
export const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** An instant as a datetime-local control shows it in the zone. */
export const toLocalInput = (at: Date, timeZone: string) => formatTime(at, timeZone).replace(' ', 'T');

/**
 * The instant a datetime-local value means in the zone; null when it is not one. A time that
 * falls in a daylight-saving gap is moved on by the gap.
 */
export function fromLocalInput(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(asUtc) || new Date(asUtc).getUTCDate() !== d) return null;
  const offsetAt = (at: number) => {
    const [date, time] = toLocalInput(new Date(at), timeZone).split('T') as [string, string];
    const [yy, mm, dd] = date.split('-').map(Number) as [number, number, number];
    const [hh, mn] = time.split(':').map(Number) as [number, number];
    return Date.UTC(yy, mm - 1, dd, hh, mn) - Math.floor(at / 60_000) * 60_000;
  };
  let at = asUtc - offsetAt(asUtc);
  at = asUtc - offsetAt(at);
  return new Date(at);
}

export type AudienceInput =
  | { kind: 'everyone' }
  | { kind: 'units'; unitIds: string[] }
  | { kind: 'chats'; chats: { channel: string; chatId: string }[] };

/** The audience a form gives; the zod schema checks it afterwards. */
export function audienceFrom(form: Form): AudienceInput {
  const kind = field(form, 'audience');
  if (kind === 'units') return { kind, unitIds: fieldList(form, 'unitIds') };
  if (kind === 'chats') {
    return {
      kind,
      chats: lines(field(form, 'chats')).map((line) => {
        const m = /^(\w+)\s*[:：\s]\s*(\S.*)$/.exec(line);
        return m ? { channel: m[1]!.toLowerCase(), chatId: m[2]!.trim() } : { channel: '', chatId: line };
      }),
    };
  }
  return { kind: 'everyone' };
}

const audienceText = {
  legend: { zh: '范围', en: 'Audience' },
  everyone: { zh: '全体', en: 'Everyone' },
  units: { zh: '指定单位（含下级）', en: 'Org units (and those below)' },
  unitList: { zh: '单位（可多选）', en: 'Units (choose one or more)' },
  chats: { zh: '指定群聊', en: 'Group chats' },
  chatLines: {
    zh: `群聊，每行一个：渠道 群号（渠道为 ${channelNames.join('/')}）`,
    en: `Chats, one a line: channel chat-id (channel: ${channelNames.join('/')})`,
  },
};

/** The audience fieldset: radio buttons, a multi-select of units, and a textarea of chats. */
export function audienceFields(lang: Lang, units: OrgUnit[], form: Form) {
  const kind = field(form, 'audience') || 'everyone';
  const chosen = new Set(fieldList(form, 'unitIds'));
  const radio = (value: string, label: L10n) =>
    html`<label style="flex-direction:row;gap:6px;align-items:center"><input type="radio" name="audience" value="${value}" ${kind === value ? 'checked' : ''}> ${t(lang, label)}</label>`;
  return html`<fieldset class="card"><legend>${t(lang, audienceText.legend)}</legend>
  ${radio('everyone', audienceText.everyone)}
  ${radio('units', audienceText.units)}
  <label>${t(lang, audienceText.unitList)}<select name="unitIds" multiple size="${Math.min(8, Math.max(3, units.length))}">${units.map(
    (u) =>
      html`<option value="${u.id}" ${chosen.has(u.id) ? 'selected' : ''}>${lang === 'zh' ? u.pathZh : u.pathEn}</option>`,
  )}</select></label>
  ${radio('chats', audienceText.chats)}
  <label>${t(lang, audienceText.chatLines)}<textarea name="chats" rows="3" placeholder="lark oc_1234">${field(form, 'chats')}</textarea></label>
</fieldset>`;
}

/** A 400's message naming each field zod refused, by the labels the form shows. */
export function invalidFields(error: z.ZodError, labels: Record<string, L10n>): L10n {
  const names = [
    ...new Set(
      error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        return labels[key] ?? { zh: key || '表单', en: key || 'form' };
      }),
    ),
  ];
  return {
    zh: `请检查：${names.map((n) => n.zh).join('、')}。`,
    en: `Please check: ${names.map((n) => n.en).join(', ')}.`,
  };
}
