/**
 * What a person's message is to the engine: a shared word (typed or pressed), plain text, a
 * pressed answer to a step, a button it cannot read, nothing, something it cannot take, or the
 * platform's welcome.
 */
import type { InboundContent } from '../../bots/core/messenger.ts';
import { normalizeText } from '../../kernel/text.ts';
import { decodeAction } from './actions.ts';
import { type Word, wordByName, wordOf } from './matching.ts';
import type { EngineSetup } from './setup.ts';

export type Input =
  /** `pressed` words came from a button; `at` is the question such a button belongs to. */
  | { kind: 'word'; word: Word; said: string; pressed: boolean; at?: { flow: string; step: string } }
  | { kind: 'text'; text: string }
  | { kind: 'step'; flow: string; step: string; value: string }
  | { kind: 'bad_button' }
  | { kind: 'empty' }
  | { kind: 'unsupported' }
  | { kind: 'file'; id: string; name: string }
  | { kind: 'welcome' };

/** What can answer a step: typed text, a typed word, or a pressed step button. */
export type Answer = Extract<Input, { kind: 'text' | 'word' | 'step' }>;

/** What the person typed, words included. */
export const typedText = (input: Extract<Input, { kind: 'text' | 'word' }>) =>
  input.kind === 'text' ? input.text : input.said;

export function readInput(setup: EngineSetup, content: InboundContent, allowGreeting: boolean): Input {
  if (content.type === 'unsupported') return { kind: 'unsupported' };
  if (content.type === 'welcome') return { kind: 'welcome' };
  // The server has put its own id for the file in `ref` by now.
  if (content.type === 'file') return { kind: 'file', id: content.ref, name: content.name };
  if (content.type === 'action') return readAction(setup, content.value);
  const text = normalizeText(content.text);
  if (text === '') return { kind: 'empty' };
  const word = wordOf(text, { allowGreeting, flows: setup.flows, commands: setup.commands });
  return word ? { kind: 'word', word, said: text, pressed: false } : { kind: 'text', text };
}

function readAction(setup: EngineSetup, value: string): Input {
  const action = decodeAction(value);
  if (!action) return { kind: 'bad_button' };
  if (action.k === 'step') return { kind: 'step', flow: action.f, step: action.s, value: action.v };
  const catalog = { flows: setup.flows, commands: setup.commands };
  if (action.k === 'cmd') {
    const command = wordByName(`cmd:${action.c}`, catalog);
    return command ? { kind: 'word', word: command, said: action.a, pressed: true } : { kind: 'bad_button' };
  }
  const word = wordByName(action.v, catalog);
  if (!word) return { kind: 'bad_button' };
  const at =
    action.f !== undefined && action.s !== undefined ? { flow: action.f, step: action.s } : undefined;
  return { kind: 'word', word, said: action.v, pressed: true, ...(at ? { at } : {}) };
}
