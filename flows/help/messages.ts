/** What the help-request flow says, in both languages. */
import type { L10n } from '../../kernel/l10n.ts';
import { helpLimits } from './draft.ts';

export const helpText = {
  title: { zh: '求助', en: 'Ask for help' },
  askKind: {
    zh: '您需要哪一类帮助？（您填写的内容会加密保存，只有您所在单位的工会干部能看到）',
    en: 'What kind of help do you need? (What you write is stored encrypted; only the union officers of your unit can read it.)',
  },
  askSituation: {
    zh: `请说明您的困难或问题（${helpLimits.situation.min}–${helpLimits.situation.max} 字）：`,
    en: `Please describe your difficulty or question (${helpLimits.situation.min}–${helpLimits.situation.max} characters):`,
  },
  askUrgency: { zh: '有多急？', en: 'How urgent is it?' },
  askContact: { zh: '工会怎样联系您？', en: 'How should the union reach you?' },
  byChat: { zh: '在这里联系我', en: 'Here in this chat' },
  byPhone: { zh: '打电话给我', en: 'Call me' },
  askPhone: { zh: '请输入您的电话号码：', en: 'Your phone number:' },
  badPhone: {
    zh: '电话号码只能包含数字、空格、“+”和“-”，5–20 位。',
    en: 'A phone number has 5–20 digits, spaces, "+" or "-".',
  },
  confirmTitle: { zh: '请确认您的求助', en: 'Please confirm your request' },
  confirmPrompt: { zh: '确认无误请点“提交”。', en: 'If this is right, press "Submit".' },
  submit: { zh: '提交', en: 'Submit' },
  fieldKind: { zh: '类别', en: 'Kind' },
  fieldSituation: { zh: '情况说明', en: 'Situation' },
  written: (n: number): L10n => ({ zh: `已填写 ${n} 字`, en: `${n} characters written` }),
  fieldUrgency: { zh: '紧急程度', en: 'Urgency' },
  fieldContact: { zh: '联系方式', en: 'Contact' },
  phone: (masked: string): L10n => ({ zh: `电话 ${masked}`, en: `Phone ${masked}` }),
  receiptTitle: { zh: '求助已提交', en: 'Request submitted' },
  fieldReference: { zh: '编号', en: 'Reference' },
  fieldStatus: { zh: '状态', en: 'Status' },
  fieldAckBy: { zh: '最迟受理时间', en: 'Acknowledged by' },
  receiptText: {
    zh: '工会干部会尽快与您联系，进展会在这里告诉您。发送“我的”可查看进度。遇到紧急危险请先拨打 110 或 120。',
    en: 'A union officer will contact you soon, and you will be told here as it moves. Send "mine" to check. In an emergency, call 110 or 120 first.',
  },
};
