/** What the suggestion flow says, in both languages. */
import type { L10n } from '../../kernel/l10n.ts';

export const suggestionText = {
  title: { zh: '提合理化建议', en: 'Make a suggestion' },
  askTitle: {
    zh: '请用一句话写下建议的标题（例如：“检修车间增加防滑垫”）。',
    en: 'Please give your suggestion a one-line title (for example: "Anti-slip mats in the repair workshop").',
  },
  askCategory: { zh: '这条建议属于哪一类？', en: 'Which category does it belong to?' },
  askDescription: {
    zh: '请具体描述现状、存在的问题和您的建议做法。',
    en: 'Please describe the current situation, the problem, and what you propose.',
  },
  askBenefit: {
    zh: '预计能带来什么效益？（例如：减少事故、节约成本、提高效率）',
    en: 'What benefit do you expect? (e.g. fewer accidents, lower cost, higher efficiency)',
  },
  askAnonymous: {
    zh: '是否匿名提交？匿名时，工会干部看不到您的姓名，但您仍会收到处理进度。',
    en: 'Submit anonymously? If so, officers will not see your name, but you will still be told how it progresses.',
  },
  signed: { zh: '署名提交', en: 'With my name' },
  anonymous: { zh: '匿名提交', en: 'Anonymously' },
  confirmTitle: { zh: '请确认您的合理化建议', en: 'Please check your suggestion' },
  confirmPrompt: {
    zh: '确认无误请点“提交”；需要修改请点“上一步”。',
    en: 'If everything is right, press "Submit"; to change something, press "Back".',
  },
  submit: { zh: '提交', en: 'Submit' },
  receiptTitle: { zh: '建议已提交', en: 'Suggestion submitted' },
  receiptText: {
    zh: '感谢您的建议！工会将认真研究并答复。随时发送“我的”查看进度。',
    en: 'Thank you! The union will study it and answer you. Send "mine" at any time to see its progress.',
  },
  fieldReference: { zh: '编号', en: 'Reference' },
  fieldTitle: { zh: '标题', en: 'Title' },
  fieldCategory: { zh: '类别', en: 'Category' },
  fieldDescription: { zh: '具体内容', en: 'Description' },
  fieldBenefit: { zh: '预期效益', en: 'Expected benefit' },
  fieldAnonymous: { zh: '提交方式', en: 'Submitted' },
  fieldStatus: { zh: '状态', en: 'Status' },
  fieldSubmittedAt: { zh: '提交时间', en: 'Submitted at' },
  notGiven: { zh: '（未填写）', en: '(not given)' },
} satisfies Record<string, L10n>;
