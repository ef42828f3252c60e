/**
 * The web chat page's script, served at /chat/app.js rather than inline, so the page's
 * content-security policy can say `script-src 'self'`. It long-polls for new messages, renders
 * bubbles with buttons, and builds the DOM with textContent only, so no message text is ever
 * interpreted as HTML. The page asks for it with a version taken from its text, so browsers may
 * keep it for a year and still get a changed script at once.
 */

export const chatScript = `
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

  // A photo or file goes as the body of its own request; its name rides in a header, URI-encoded.
  // Its id is kept until the server answers, so sending it again cannot make two messages of it.
  async function deliverFile(file) {
    const key = 'file:' + file.name + ':' + file.size + ':' + file.lastModified;
    const id = unconfirmed.get(key) || newId();
    try {
      const res = await fetch('/chat/files', {
        method: 'POST',
        headers: {
          'content-type': file.type || 'application/octet-stream',
          'x-file-name': encodeURIComponent(file.name),
          'x-message-id': id,
        },
        body: file,
        credentials: 'same-origin',
      });
      unconfirmed.delete(key);
      if (res.ok) return true;
      const data = await res.json().catch(() => null);
      const e = data && data.error;
      showError(e ? e.message_zh + '\\n' + e.message_en : '文件发送失败，请重试。 / The file was not sent, please try again.');
      return false;
    } catch {
      unconfirmed.set(key, id);
      showError('网络连接失败，请重试。 / Network error, please try again.');
      return false;
    }
  }
  function sendFile(file) {
    queue = queue.then(() => deliverFile(file), () => deliverFile(file));
    return queue;
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
  const picker = document.getElementById('file');
  document.getElementById('attach').addEventListener('click', () => picker.click());
  picker.addEventListener('change', async () => {
    const files = Array.from(picker.files || []);
    picker.value = '';
    for (const file of files) await sendFile(file);
  });
  for (const chip of document.querySelectorAll('[data-action]')) {
    chip.addEventListener('click', () =>
      send({ action: chip.getAttribute('data-action'), label: chip.getAttribute('data-label') }),
    );
  }
  run();
})();
`;

/** FNV-1a over the script's UTF-16 code units: a short version that changes when the script does. */
function version(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

export const chatScriptUrl = `/chat/app.js?v=${version(chatScript)}`;
