/**
 * The web chat page: one self-contained HTML document that works on a phone. It long-polls for
 * new messages, renders bubbles with buttons, and builds the DOM with textContent only, so no
 * message text is ever interpreted as HTML.
 */

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
.poll-form form.comment { display:flex; gap:6px; margin:8px 0 0; padding:0; max-width:none; }
.poll-form input { flex:1; font:inherit; border:1px solid var(--line); border-radius:10px; padding:6px 8px; min-width:0; }
.vote-note { font-size:14px; margin-top:6px; white-space:pre-wrap; }
.vote-note.ok { color:var(--ok); } .vote-note.bad { color:#8a1c1c; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
`;

const script = `
(() => {
  const log = document.getElementById('log');
  const main = document.querySelector('main');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  let lastId = 0;
  let shown = 0;

  const newId = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };
  const scroll = () => { main.scrollTop = main.scrollHeight; };
  const timeZone = document.body.getAttribute('data-tz') || undefined;
  const clockFormat = new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const clock = (iso) => clockFormat.format(new Date(iso));

  function bubble(direction, payload, at) {
    // Only the latest question's buttons stay live: an old 取消 must not cancel what came after.
    // A notice without buttons (a status update) leaves the current question's buttons alone.
    if (direction === 'out' && payload.buttons && payload.buttons.length) {
      for (const old of log.querySelectorAll('.msg.out .buttons:not(.poll) button')) old.disabled = true;
    }
    const box = el('div', 'msg ' + direction + (payload.tone ? ' ' + payload.tone : ''));
    box.setAttribute('data-testid', direction === 'in' ? 'msg-in' : 'msg-out');
    if (payload.notice) box.append(el('div', 'notice', payload.notice));
    if (payload.title) box.append(el('div', 'title', payload.title));
    if (payload.text) box.append(el('div', 'text', payload.text));
    if (payload.label) box.append(el('div', 'text', payload.label));
    if (payload.fields && payload.fields.length) {
      // Short labels (编号, 状态…) sit beside their values; long ones (a list of items) go above them.
      const dl = el('dl', payload.fields.some((f) => Array.from(f.label).length > 16) ? 'stack' : '');
      for (const f of payload.fields) { dl.append(el('dt', '', f.label), el('dd', '', f.value)); }
      box.append(dl);
    }
    if (payload.footer) box.append(el('div', 'footer', payload.footer));
    if (payload.hint) box.append(el('div', 'hint', payload.hint));
    if (payload.link && (payload.link.url.startsWith('https:') || payload.link.url.startsWith('http:'))) {
      const a = el('a', 'link', payload.link.label);
      a.href = payload.link.url;
      a.target = '_blank';
      a.rel = 'noopener';
      box.append(a);
    }
    if (payload.poll) box.append(pollForm(payload.poll));
    if (payload.buttons && payload.buttons.length) {
      const row = el('div', 'buttons');
      for (const b of payload.buttons) {
        const button = el('button', b.primary ? 'primary' : '', b.label);
        button.type = 'button';
        button.addEventListener('click', async () => {
          for (const other of row.querySelectorAll('button')) other.disabled = true;
          const ok = await send({ action: b.value, label: b.label });
          if (!ok) for (const other of row.querySelectorAll('button')) other.disabled = false;
        });
        row.append(button);
      }
      box.append(row);
    }
    if (at) box.append(el('div', 'time', clock(at)));
    log.append(box);
    shown++;
    scroll();
  }

  // A poll's answers go to the vote endpoint, never into the conversation; the confirmation is
  // shown here for this page only, and the answers stay live so the vote can be changed.
  function pollForm(poll) {
    const wrap = el('div', 'poll-form');
    const note = el('div', 'vote-note');
    note.setAttribute('role', 'status');
    note.setAttribute('data-testid', 'vote-note');
    const vote = async (body) => {
      try {
        const res = await fetch('/chat/polls/' + encodeURIComponent(poll.id) + '/vote', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          credentials: 'same-origin',
        });
        const data = await res.json().catch(() => null);
        if (res.ok && data) { note.className = 'vote-note ok'; note.textContent = data.text; return true; }
        const e = data && data.error;
        note.className = 'vote-note bad';
        note.textContent = e ? e.message_zh + '\\n' + e.message_en : '投票失败，请重试。 / Voting failed, please try again.';
      } catch {
        note.className = 'vote-note bad';
        note.textContent = '网络连接失败，请重试。 / Network error, please try again.';
      }
      return false;
    };
    const row = el('div', 'buttons poll');
    for (const a of poll.answers) {
      const button = el('button', '', a.label);
      button.type = 'button';
      button.addEventListener('click', async () => {
        if (await vote({ answer: a.answer })) {
          for (const other of row.querySelectorAll('button')) other.classList.remove('primary');
          button.classList.add('primary');
        }
      });
      row.append(button);
    }
    wrap.append(row);
    if (poll.comment) {
      const box = el('form', 'comment');
      const field = el('input');
      field.type = 'text';
      field.maxLength = 500;
      field.placeholder = poll.comment;
      field.setAttribute('aria-label', poll.comment);
      const submit = el('button', '', '提交意见 Send');
      submit.type = 'submit';
      box.append(field, submit);
      box.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!field.value.trim()) return;
        if (await vote({ comment: field.value })) field.value = '';
      });
      wrap.append(box);
    }
    wrap.append(note);
    return wrap;
  }

  function showNote(text) {
    const box = el('div', 'msg out info', text);
    box.setAttribute('role', 'status');
    box.setAttribute('data-testid', 'vote-note');
    log.append(box);
    scroll();
  }

  function showError(text) {
    const box = el('div', 'msg error', text);
    box.setAttribute('role', 'alert');
    log.append(box);
    scroll();
  }

  // A message whose answer was lost on the network keeps its id, so sending it again cannot
  // make the server process it twice. Sends go one at a time, so they arrive in order.
  const unconfirmed = new Map();
  let queue = Promise.resolve(true);
  function send(body) {
    queue = queue.then(() => deliver(body), () => deliver(body));
    return queue;
  }

  async function deliver(body) {
    const key = JSON.stringify(body);
    const id = unconfirmed.get(key) || newId();
    try {
      const res = await fetch('/chat/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, ...body }),
        credentials: 'same-origin',
      });
      unconfirmed.delete(key);
      if (res.ok) {
        // A poll answered by its code is not kept in the conversation: its reply shows here only.
        const data = await res.json().catch(() => null);
        if (data && data.vote) showNote(data.vote.text);
        return true;
      }
      if (!res.ok) {
        const data = await res.json().catch(() => null);
        const e = data && data.error;
        showError(e ? e.message_zh + '\\n' + e.message_en : '发送失败，请重试。 / Sending failed, please try again.');
        return false;
      }
      return true;
    } catch {
      unconfirmed.set(key, id);
      showError('网络连接失败，请重试。 / Network error, please try again.');
      return false;
    }
  }

  async function poll(wait) {
    const res = await fetch('/chat/messages?after=' + lastId + '&wait=' + wait, { credentials: 'same-origin' });
    if (!res.ok) throw new Error('poll ' + res.status);
    const data = await res.json();
    for (const m of data.messages) {
      lastId = Math.max(lastId, m.id);
      bubble(m.direction, m.payload, m.at);
    }
  }

  async function run() {
    try { await poll(0); } catch { showError('无法连接服务器。 / Cannot reach the server.'); }
    if (shown === 0) {
      bubble('out', {
        title: '您好！我是同心工会助手 / Hello, I am Tongxin',
        text: '在这里可以提合理化建议、查看办理进度。点下面的按钮开始，或直接输入“菜单”。\\nMake suggestions and follow them up here. Tap a button below, or type "menu".',
      });
    }
    for (;;) {
      try { await poll(20); }
      catch { await new Promise((r) => setTimeout(r, 2000)); }
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = '';
    const ok = await send({ text });
    if (!ok) input.value = text;
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  for (const chip of document.querySelectorAll('[data-action]')) {
    chip.addEventListener('click', () =>
      send({ action: chip.getAttribute('data-action'), label: chip.getAttribute('data-label') }),
    );
  }
  run();
})();
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
    <textarea id="text" rows="1" placeholder="输入消息… Type a message…" autocomplete="off" enterkeyhint="send"></textarea>
    <button class="primary" type="submit">发送<span class="sr"> Send</span></button>
  </form>
</div>
<script>${script}</script>
</body>
</html>`;
}
