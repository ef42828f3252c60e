/** Recognising what a person typed: the engine's words, start words, and options by number or words. */
import { t } from '../../kernel/l10n.ts';
import { foldForMatch } from '../../kernel/text.ts';
import { engineWords } from './messages.ts';
import type { AnyFlow, CommandDef, OptionDef } from './types.ts';

/** Engine words, and start words of flows (`flow:name`) and commands (`cmd:name`). */
export type Word =
  | 'cancel'
  | 'back'
  | 'menu'
  | 'greet'
  | 'lang_zh'
  | 'lang_en'
  | `flow:${string}`
  | `cmd:${string}`;

const fixedWords = ['cancel', 'back', 'menu', 'greet', 'lang_zh', 'lang_en'] as const;

interface Known {
  flows: ReadonlyMap<string, AnyFlow>;
  commands: ReadonlyMap<string, CommandDef>;
}

/** True when the text is one of the words in the list. */
export function isWord(text: string, list: readonly string[]): boolean {
  const folded = foldForMatch(text);
  return list.some((w) => foldForMatch(w) === folded);
}

/** The word a typed text is, if any. Greetings count only when nothing is in progress. */
export function wordOf(text: string, known: Known & { allowGreeting: boolean }): Word | null {
  for (const word of fixedWords) {
    if (word === 'greet' && !known.allowGreeting) continue;
    if (isWord(text, engineWords[word])) return word;
  }
  for (const flow of known.flows.values()) {
    if (isWord(text, flow.words)) return `flow:${flow.name}`;
  }
  for (const command of known.commands.values()) {
    if (isWord(text, command.words) || command.matches?.(text)) return `cmd:${command.name}`;
  }
  return null;
}

/** The word a button names (`menu`, `flow:suggestion`, …), if it is a known one. */
export function wordByName(name: string, known: Known): Word | null {
  if ((fixedWords as readonly string[]).includes(name)) return name as Word;
  const [kind, rest] = name.split(':');
  if (kind === 'flow' && rest && known.flows.has(rest)) return `flow:${rest}`;
  if (kind === 'cmd' && rest && known.commands.has(rest)) return `cmd:${rest}`;
  return null;
}

/** The option picked by a typed number (1-based) or by its label or aliases in either language. */
export function matchOption(text: string, options: readonly OptionDef[]): string | null {
  const folded = foldForMatch(text);
  if (/^\d{1,3}$/.test(folded)) {
    return options[Number(folded) - 1]?.value ?? null;
  }
  for (const option of options) {
    const words = [t('zh', option.label), t('en', option.label), ...(option.aliases ?? [])];
    if (words.some((w) => foldForMatch(w) === folded)) return option.value;
  }
  return null;
}
