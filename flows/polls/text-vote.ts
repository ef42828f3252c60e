/**
 * Answering a poll by text in a private chat (WeChat groups show a code instead of buttons):
 * "K7Q3 2", "投票 K7Q3 2 食堂晚餐太早", or the code alone to see the poll again.
 */

/** Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L). */
export const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const codeLength = 4;

const pattern = new RegExp(
  `^(投票|vote)?\\s*([${codeAlphabet}]{${codeLength}})(?:\\s*[:：]?\\s*(\\S+)(?:\\s+([\\s\\S]+))?)?$`,
  'i',
);

export interface TextVote {
  /** Said with 投票 / vote in front: meant as an answer to a poll, whatever the code. */
  prefixed: boolean;
  code: string;
  /** The answer as typed (a number or an option's words); absent when only the code was sent. */
  answer?: string;
  comment?: string;
}

/** Full-width letters, digits and spaces (typed on a Chinese keyboard) read as their plain forms. */
export function parseTextVote(said: string): TextVote | null {
  const match = pattern.exec(said.normalize('NFKC').trim());
  if (!match) return null;
  const code = match[2]!.toUpperCase();
  if (![...code].every((c) => codeAlphabet.includes(c))) return null;
  return {
    prefixed: match[1] !== undefined,
    code,
    ...(match[3] ? { answer: match[3] } : {}),
    ...(match[4]?.trim() ? { comment: match[4].trim() } : {}),
  };
}

/** A fresh code from a source of random integers below the bound. */
export function newCode(randomBelow: (bound: number) => number): string {
  let code = '';
  for (let i = 0; i < codeLength; i++) code += codeAlphabet[randomBelow(codeAlphabet.length)];
  return code;
}
