/** The kinds of help a person can ask for (五项救助 and 维权咨询), and how urgent it is. */
import type { L10n } from '../../kernel/l10n.ts';

export const helpKinds = ['seasonal', 'winter', 'spring_festival', 'daily', 'special', 'legal'] as const;
export type HelpKind = (typeof helpKinds)[number];

export const helpKindLabels: Record<HelpKind, L10n> = {
  seasonal: { zh: '换季救助', en: 'Seasonal relief' },
  winter: { zh: '越冬救助', en: 'Winter relief' },
  spring_festival: { zh: '春节慰问救助', en: 'Spring Festival relief' },
  daily: { zh: '日常困难救助', en: 'Everyday hardship relief' },
  special: { zh: '特殊救助（重病、意外等）', en: 'Special relief (serious illness, accident…)' },
  legal: { zh: '维权咨询', en: 'Legal / rights consultation' },
};

export const helpKindAliases: Record<HelpKind, readonly string[]> = {
  seasonal: ['换季', 'seasonal'],
  winter: ['越冬', '冬季', 'winter'],
  spring_festival: ['春节', '慰问', 'spring festival'],
  daily: ['日常', 'daily'],
  special: ['特殊', '重病', '意外', 'special'],
  legal: ['维权', '法律', '咨询', 'legal', 'rights'],
};

export const urgencies = ['normal', 'urgent', 'very_urgent'] as const;
export type Urgency = (typeof urgencies)[number];

export const urgencyLabels: Record<Urgency, L10n> = {
  normal: { zh: '一般', en: 'Not urgent' },
  urgent: { zh: '较急', en: 'Urgent' },
  very_urgent: { zh: '紧急', en: 'Very urgent' },
};
