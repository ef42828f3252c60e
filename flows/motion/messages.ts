/** What the motion flow and co-signing say, in both languages. */
import type { L10n } from '../../kernel/l10n.ts';
import { motionLimits as limits } from './draft.ts';

export const motionText = {
  title: { zh: '职代会提案', en: 'Congress motion' },
  askTitle: {
    zh: `提案标题（${limits.title.min}–${limits.title.max} 字）：`,
    en: `Title of the motion (${limits.title.min}–${limits.title.max} characters):`,
  },
  askReasons: {
    zh: `案由：为什么提出这件事？（${limits.reasons.min}–${limits.reasons.max} 字）`,
    en: `Reasons: why is this needed? (${limits.reasons.min}–${limits.reasons.max} characters)`,
  },
  askMeasures: {
    zh: `具体措施：建议怎么办？（${limits.measures.min}–${limits.measures.max} 字）`,
    en: `Measures: what exactly should be done? (${limits.measures.min}–${limits.measures.max} characters)`,
  },
  askDepartment: { zh: '建议由哪个部门承办？', en: 'Which department should handle it?' },
  askCosigners: (needed: number): L10n => ({
    zh: `请输入邀请附议的职工代表的成员号（至少 ${needed} 位，用空格分隔，如“1024 1025”）。成员号可请对方发送“我的信息”查看。`,
    en: `Member numbers of the delegates you invite to co-sign (at least ${needed}, separated by spaces, e.g. "1024 1025"). They see theirs by sending "me".`,
  }),
  badNumbers: {
    zh: '请只输入成员号（数字），用空格分隔，最多 10 位。',
    en: 'Please give member numbers only (digits), separated by spaces, at most 10.',
  },
  tooFew: (needed: number): L10n => ({
    zh: `至少需要邀请 ${needed} 位代表附议。`,
    en: `Invite at least ${needed} delegates to co-sign.`,
  }),
  confirmTitle: { zh: '请确认您的提案', en: 'Please confirm your motion' },
  confirmPrompt: {
    zh: '确认后将向所邀代表发出附议邀请。',
    en: 'Once confirmed, the delegates are invited to co-sign.',
  },
  submit: { zh: '提交', en: 'Submit' },
  fieldTitle: { zh: '标题', en: 'Title' },
  fieldReasons: { zh: '案由', en: 'Reasons' },
  fieldMeasures: { zh: '措施', en: 'Measures' },
  fieldDepartment: { zh: '承办部门', en: 'Department' },
  fieldCosigners: { zh: '邀请附议', en: 'Invited' },
  fieldReference: { zh: '编号', en: 'Reference' },
  fieldDue: { zh: '附议截止', en: 'Co-signing closes' },
  receiptTitle: { zh: '提案已提交', en: 'Motion submitted' },
  invited: (numbers: string): L10n => ({ zh: `已邀请：${numbers}`, en: `Invited: ${numbers}` }),
  rejected: (numbers: string): L10n => ({
    zh: `未能邀请（不是职工代表、不存在或是您本人）：${numbers}`,
    en: `Not invited (not a delegate, unknown, or yourself): ${numbers}`,
  }),
  receiptText: (needed: number): L10n => ({
    zh: `截止前有 ${needed} 位代表附议，提案即进入审查；否则将转为合理化建议办理，并告诉您原因。`,
    en: `With ${needed} co-signers before the deadline it goes to review; otherwise it is handled as a suggestion, and you are told why.`,
  }),
};
