/**
 * The web chat page: one HTML document that works on a phone, with its script served apart
 * (app-script.ts) so the page's content-security policy allows no inline script.
 */
import { chatScriptUrl } from './app-script.ts';

const style = `
:root { --bg:#f3f5f7; --card:#fff; --ink:#1f2328; --muted:#5b6470; --brand:#b3261e; --brand-ink:#fff;
  --line:#dde2e8; --me:#fde7e4; --ok:#1a7f37; --warn:#9a6700; --info:#0b62c4; }
* { box-sizing:border-box; }
html,body { height:100%; margin:0; }
body { font:16px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
  background:var(--bg); color:var(--ink); display:flex; flex-direction:column; }
header { background:var(--brand); color:var(--brand-ink); padding:10px 16px; display:flex; align-items:center; gap:10px; }
header .logo { width:34px; height:34px; border-radius:50%; background:#fff; color:var(--brand); display:grid;
  place-items:center; font-weight:700; }
header h1 { font-size:17px; margin:0; line-height:1.2; }
header p { font-size:12px; margin:0; opacity:.9; }
main { flex:1; overflow-y:auto; padding:12px 12px 4px; }
.log { max-width:720px; margin:0 auto; display:flex; flex-direction:column; gap:10px; }
.msg { max-width:88%; padding:10px 12px; border-radius:14px; background:var(--card); border:1px solid var(--line);
  white-space:pre-wrap; overflow-wrap:anywhere; }
.msg.in { align-self:flex-end; background:var(--me); border-color:#f4c7c1; border-bottom-right-radius:4px; }
.msg.out { align-self:flex-start; border-bottom-left-radius:4px; }
.msg.success { border-left:4px solid var(--ok); } .msg.warning { border-left:4px solid var(--warn); }
.msg.info { border-left:4px solid var(--info); }
.msg.error { align-self:center; background:#fff4f4; border-color:#f1b0b0; color:#8a1c1c; font-size:14px; }
.title { font-weight:700; margin-bottom:4px; }
.notice { color:var(--warn); font-size:14px; margin-bottom:6px; }
.hint { color:var(--muted); font-size:13px; margin-top:6px; }
.footer { font-size:14px; margin-top:6px; }
a.link { display:inline-block; margin-top:8px; color:var(--brand); font-weight:600; }
dl { margin:6px 0; display:grid; grid-template-columns:fit-content(40%) minmax(0,1fr); gap:2px 10px;
  font-size:15px; }
dt { color:var(--muted); } dd { margin:0; }
dl.stack { display:block; } dl.stack dt { color:var(--ink); }
dl.stack dd { color:var(--muted); font-size:14px; margin-bottom:6px; }
.buttons { display:flex; flex-wrap:wrap; gap:6px; margin-top:8px; white-space:normal; }
button { font:inherit; cursor:pointer; border-radius:18px; border:1px solid var(--brand); padding:6px 14px;
  background:var(--card); color:var(--brand); min-height:36px; }
button.primary { background:var(--brand); color:var(--brand-ink); }
button:disabled { opacity:.45; cursor:default; }
button:focus-visible, textarea:focus-visible { outline:3px solid #0b62c4; outline-offset:2px; }
.time { font-size:11px; color:var(--muted); margin-top:4px; text-align:right; }
.chips { max-width:720px; margin:0 auto; display:flex; flex-wrap:wrap; gap:6px; padding:6px 12px 0; }
.chips button { font-size:14px; padding:4px 12px; min-height:32px; white-space:nowrap; }
form { display:flex; gap:8px; max-width:720px; margin:0 auto; padding:8px 12px 12px; }
.composer { background:var(--bg); border-top:1px solid var(--line); padding-bottom:env(safe-area-inset-bottom); }
textarea { flex:1; font:inherit; resize:none; border:1px solid var(--line); border-radius:12px; padding:8px 10px;
  min-height:44px; max-height:140px; background:#fff; color:var(--ink); }
form button { border-radius:12px; min-width:72px; }
form button.attach { min-width:44px; padding:6px 10px; font-size:18px; }
.poll-form form.comment { display:flex; gap:6px; margin:8px 0 0; padding:0; max-width:none; }
.poll-form input { flex:1; font:inherit; border:1px solid var(--line); border-radius:10px; padding:6px 8px; min-width:0; }
.vote-note { font-size:14px; margin-top:6px; white-space:pre-wrap; }
.vote-note.ok { color:var(--ok); } .vote-note.bad { color:#8a1c1c; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
`;

/** The page's icon: the character 同 on the union red. */
export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#b3261e"/><text x="32" y="45" font-size="38" text-anchor="middle" fill="#fff" font-family="sans-serif">同</text></svg>`;

/** A shortcut under the message box: a word pressed rather than typed (菜单, 我的, English…). */
export interface Shortcut {
  /** Shown on the chip, Chinese first with English beside. */
  label: string;
  /** Shown as the person's own bubble when pressed. */
  said: string;
  /** The action value the engine decodes. */
  value: string;
}

const attr = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chatPage(opts: { shortcuts: readonly Shortcut[]; timeZone: string }): string {
  const chips = opts.shortcuts
    .map(
      (s) =>
        `<button type="button" data-action="${attr(s.value)}" data-label="${attr(s.said)}">${attr(s.label)}</button>`,
    )
    .join('\n    ');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light">
<title>同心 · 工会助手 Tongxin</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${style}</style>
</head>
<body data-tz="${attr(opts.timeZone)}">
<header>
  <div class="logo" aria-hidden="true">同</div>
  <div><h1>同心 · 工会助手</h1><p>Tongxin union assistant</p></div>
</header>
<main><div id="log" class="log" role="log" aria-live="polite" aria-label="对话记录 Conversation"></div></main>
<div class="composer">
  <div class="chips" role="toolbar" aria-label="快捷操作 Shortcuts">
    ${chips}
  </div>
  <form id="composer">
    <label class="sr" for="text">输入消息 Message</label>
    <input id="file" class="sr" type="file" multiple accept="image/jpeg,image/png,image/webp,image/*,application/pdf,.pdf,.docx,.xlsx,.pptx">
    <button id="attach" type="button" class="attach" aria-label="附件：照片或文件 Attach a photo or file" title="附件：照片或文件 Attach a photo or file">📎</button>
    <textarea id="text" rows="1" placeholder="输入消息… Type a message…" autocomplete="off" enterkeyhint="send"></textarea>
    <button class="primary" type="submit">发送<span class="sr"> Send</span></button>
  </form>
</div>
<script src="${chatScriptUrl}"></script>
</body>
</html>`;
}
