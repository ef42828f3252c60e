/** What the engine itself says, in both languages. */
import type { L10n } from '../../kernel/l10n.ts';

export const engineText = {
  bindHint: {
    zh: '绑定身份后，换浏览器或手机也能找回您的事项：发送“绑定”了解。',
    en: 'Link your account to find your items again in another browser or phone: send "bind".',
  },
  menuTitle: {
    zh: '您好，这里是同心工会助手。请选择要办的事（回复编号或文字）：',
    en: 'Hello, this is Tongxin, your union assistant. What would you like to do? (reply with a number or words)',
  },
  menuLanguage: { zh: 'English', en: '中文' },
  notAllowed: (what: L10n, who: readonly L10n[]): L10n => ({
    zh: `“${what.zh}”仅限${who.map((w) => w.zh).join('或')}使用。`,
    en: `"${what.en}" is only for ${who.map((w) => w.en).join(' or ')}.`,
  }),
  notUnderstood: (said: string): L10n => ({
    zh: `抱歉，没有听懂“${said}”。`,
    en: `Sorry, I did not understand "${said}".`,
  }),
  textOnly: {
    zh: '目前只能处理文字消息，请用文字回复。',
    en: 'I can only read text for now. Please reply in words.',
  },
  fileOutsideFlow: {
    zh: '照片和文件请在填写“提建议”或“求助”时发送，会附在该事项上；要补充到已提交的事项，请先发送“补充 编号”。',
    en: 'Send photos and files while filling in a suggestion or a help request, and they go with it; to add one to an item already filed, send "add <ref>" first.',
  },
  fileNotHere: (flow: L10n): L10n => ({
    zh: `“${flow.zh}”不能附照片或文件，请用文字回复。`,
    en: `"${flow.en}" takes no photos or files; please reply in words.`,
  }),
  fileHeld: (name: string, count: number): L10n => ({
    zh: `已收到“${name}”（共 ${count} 个附件），提交时一并附上。`,
    en: `Got “${name}” (${count} attached so far); it goes with the item when you submit.`,
  }),
  hintFiles: (accepts: 'photo' | 'any'): L10n =>
    accepts === 'photo'
      ? { zh: '可发送照片', en: 'you may send photos' }
      : { zh: '可发送照片或文件', en: 'you may send photos or files' },
  groupWelcome: {
    zh: '大家好，我是同心工会助手。在群里 @我 就能和我对话；提建议、查进度这类个人事务，欢迎私聊我。',
    en: 'Hello everyone, I am Tongxin, the union assistant. Mention me here to talk to me; for personal matters such as suggestions, message me privately.',
  },
  emptyText: { zh: '没有收到内容，请输入文字。', en: 'That message was empty. Please type some text.' },
  cancelled: (flow: L10n): L10n => ({
    zh: `已取消“${flow.zh}”，未保存任何内容。发送“菜单”可重新开始。`,
    en: `"${flow.en}" cancelled; nothing was saved. Send "menu" to start again.`,
  }),
  nothingToCancel: {
    zh: '当前没有进行中的事项。发送“菜单”查看可以办的事。',
    en: 'Nothing is in progress. Send "menu" to see what you can do.',
  },
  leftFlow: (flow: L10n): L10n => ({
    zh: `已退出“${flow.zh}”，未保存。`,
    en: `Left "${flow.en}" without saving.`,
  }),
  finishFirst: (flow: L10n): L10n => ({
    zh: `请先完成或取消当前的“${flow.zh}”。`,
    en: `Please finish or cancel "${flow.en}" first.`,
  }),
  firstStep: { zh: '已经是第一步了。', en: 'This is already the first step.' },
  nothingToGoBack: { zh: '当前没有可以返回的步骤。', en: 'There is no step to go back to.' },
  expired: (flow: L10n, minutes: number): L10n => ({
    zh: `“${flow.zh}”已超过 ${minutes} 分钟没有继续，已自动结束，未保存。需要时请重新开始。`,
    en: `"${flow.en}" was left unfinished for over ${minutes} minutes and has ended without saving. Please start again when you are ready.`,
  }),
  reminder: (flow: L10n, until: string): L10n => ({
    zh: `您的“${flow.zh}”还没有填完，将于 ${until} 自动结束。请回答下面的问题继续，或发送“取消”放弃。`,
    en: `Your "${flow.en}" is not finished and will end at ${until}. Answer the question below to go on, or send "cancel".`,
  }),
  flowChanged: {
    zh: '这个流程已更新，之前填写的内容无法继续，请重新开始。',
    en: 'This form has been updated and your earlier answers cannot be continued. Please start again.',
  },
  staleButton: {
    zh: '这个按钮已过期，请按最新的提示操作。',
    en: 'That button is from an earlier question. Please answer the latest one.',
  },
  badButton: { zh: '无法识别这个按钮。', en: 'That button could not be recognised.' },
  languageSet: { zh: '已切换为中文。', en: 'Language set to English.' },
  pickOne: (count: number): L10n => ({
    zh: `请回复 1–${count} 的编号，或选项的文字。`,
    en: `Please reply with a number from 1 to ${count}, or the option's words.`,
  }),
  confirmOrCancel: {
    zh: '请回复“提交”确认，或“取消”放弃，或“上一步”修改。',
    en: 'Please reply "submit" to confirm, "cancel" to discard, or "back" to change an answer.',
  },
  tooLong: (max: number, given: number): L10n => ({
    zh: `内容过长：最多 ${max} 字，您输入了 ${given} 字。请精简后重新输入。`,
    en: `Too long: at most ${max} characters, yours has ${given}. Please shorten it and send again.`,
  }),
  tooShort: (min: number, given: number): L10n => ({
    zh: `内容过短：至少 ${min} 字，您输入了 ${given} 字。`,
    en: `Too short: at least ${min} characters, yours has ${given}.`,
  }),
  invalidInput: { zh: '输入无效，请重新输入。', en: 'That answer is not valid. Please try again.' },
  hintMax: (max: number): L10n => ({ zh: `最多 ${max} 字`, en: `Up to ${max} characters` }),
  hintSkip: { zh: '回复“跳过”可不填', en: 'Reply "skip" to leave it empty' },
  back: { zh: '上一步', en: 'Back' },
  cancel: { zh: '取消', en: 'Cancel' },
  menu: { zh: '菜单', en: 'Menu' },
} as const;

/** Words the engine owns, typed or pressed. Matching ignores case, width and spacing. */
export const engineWords = {
  cancel: ['取消', 'cancel', '退出', 'quit', 'exit'],
  back: ['上一步', 'back', '返回', '上一个'],
  menu: ['菜单', 'menu', '主菜单', '帮助', '?', '？'],
  /** Greetings show the menu too, but only when nothing is in progress (they could be an answer). */
  greet: ['你好', '您好', '开始', 'start', 'hi', 'hello', '在吗'],
  lang_zh: ['中文', 'chinese', 'zh', '简体中文'],
  lang_en: ['english', 'en', '英文', '英语'],
  skip: ['跳过', 'skip', '无', '没有', 'none', '-'],
  confirm: ['提交', '确认', '确定', '是', '好', 'submit', 'confirm', 'yes', 'y', 'ok'],
} as const;
