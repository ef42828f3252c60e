/** The categories of a rationalization proposal (合理化建议). */
import type { L10n } from '../../kernel/l10n.ts';

export const suggestionCategories = [
  'safety',
  'technology',
  'management',
  'cost',
  'welfare',
  'other',
] as const;
export type SuggestionCategory = (typeof suggestionCategories)[number];

export const categoryLabels: Record<SuggestionCategory, L10n> = {
  safety: { zh: '安全生产', en: 'Safety' },
  technology: { zh: '技术与工艺', en: 'Technology / process' },
  management: { zh: '经营管理', en: 'Management' },
  cost: { zh: '节能降耗', en: 'Cost saving' },
  welfare: { zh: '职工生活福利', en: 'Staff welfare' },
  other: { zh: '其他', en: 'Other' },
};

/** Extra words that pick a category when typed. */
export const categoryAliases: Record<SuggestionCategory, readonly string[]> = {
  safety: ['安全', 'safety'],
  technology: ['技术', '工艺', 'technology', 'process'],
  management: ['管理', 'management'],
  cost: ['节约', '降本', '成本', 'cost', 'cost saving'],
  welfare: ['福利', '生活', 'welfare'],
  other: ['其它', 'other'],
};
