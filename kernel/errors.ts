/**
 * Expected failures of requests: one error type with a code from one list, mapped to an HTTP
 * status and a message in both languages in one place (the app's onError).
 */
import type { L10n } from './l10n.ts';

export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  too_long: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly text: L10n,
    readonly details?: unknown,
  ) {
    super(text.en);
    this.name = 'AppError';
  }

  get status(): (typeof errorStatus)[ErrorCode] {
    return errorStatus[this.code];
  }
}

export const errorText = {
  invalidJson: { zh: '请求体不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  notJson: {
    zh: '请求体须为 JSON（Content-Type: application/json）。',
    en: 'The request body must be JSON (Content-Type: application/json).',
  },
  validation: (fields: string[]): L10n => ({
    zh: `请求内容不符合要求：${fields.join('、')}。`,
    en: `The request is not valid: ${fields.join(', ')}.`,
  }),
  unstorable: (fields: string[]): L10n => ({
    zh: `请求中含有无法保存的字符（空字符 U+0000、不成对的代理项或无效的 UTF-8 编码）：${fields.join('、')}。请删去后重试。`,
    en: `The request holds characters that cannot be stored (NUL U+0000, an unpaired surrogate or invalid UTF-8): ${fields.join(', ')}. Remove them and try again.`,
  }),
  badForm: { zh: '表单内容无法读取。', en: 'The form could not be read.' },
  tooLarge: (maxBytes: number): L10n => ({
    zh: `请求体过大，最多 ${Math.round(maxBytes / 1024)} KB。`,
    en: `The request body is too large; the limit is ${Math.round(maxBytes / 1024)} KB.`,
  }),
  unauthorized: {
    zh: '缺少或错误的访问令牌（Authorization: Bearer …）。',
    en: 'Missing or wrong access token (Authorization: Bearer …).',
  },
  tooManyAttempts: (seconds: number): L10n => ({
    zh: `尝试次数过多，请 ${seconds} 秒后再试。`,
    en: `Too many attempts. Please try again in ${seconds} seconds.`,
  }),
  apiDisabled: {
    zh: '未设置 ADMIN_TOKEN，干部接口未启用。',
    en: 'ADMIN_TOKEN is not set, so the officer API is disabled.',
  },
  notFound: { zh: '找不到该地址。', en: 'Not found.' },
  unavailable: {
    zh: '服务暂时不可用（数据库无响应），请稍后重试。',
    en: 'The service is temporarily unavailable (the database is not answering). Please try again shortly.',
  },
  internal: { zh: '服务器内部错误，请稍后重试。', en: 'Internal server error. Please try again later.' },
} satisfies Record<string, L10n | ((...args: never[]) => L10n)>;

/** A person past their messages a minute (every channel says the same). */
export const floodText = {
  zh: '您发送得太快了，请稍等一分钟再发。',
  en: 'You are sending messages too fast. Please wait a minute and try again.',
};
