/** GET /polls/privacy: what an anonymous poll stores and who can see what, in both languages. */
import { Hono } from 'hono';
import { privacyPoints, privacyTitle } from '../../../flows/polls/privacy.ts';
import { escapeHtml } from '../../kernel/markdown.ts';

const style = `
body { margin:0; font:17px/1.7 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
  color:#1f2328; background:#f3f5f7; }
header { background:#b3261e; color:#fff; padding:10px 16px; font-size:15px; }
article { max-width:720px; margin:0 auto; background:#fff; padding:20px 18px 32px; min-height:80vh; }
h1 { font-size:24px; line-height:1.35; margin:0 0 12px; } h2 { font-size:19px; margin:24px 0 8px; }
li { margin-bottom:8px; }
`;

const list = (lang: 'zh' | 'en') => privacyPoints.map((p) => `<li>${escapeHtml(p[lang])}</li>`).join('\n');

const page = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${privacyTitle.zh} · ${privacyTitle.en}</title><style>${style}</style></head>
<body><header>同心 · 民意调查 Polls</header>
<article><h1>${privacyTitle.zh}</h1><ol>${list('zh')}</ol>
<h2 lang="en">${privacyTitle.en}</h2><ol lang="en">${list('en')}</ol></article></body></html>`;

export function pollPrivacyRoutes() {
  return new Hono().get('/polls/privacy', (c) => {
    c.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    c.header('x-content-type-options', 'nosniff');
    c.header('cache-control', 'public, max-age=3600');
    return c.html(page);
  });
}
