/**
 * WeChat is an optional install: wechaty and its puppets are not among the server's dependencies
 * (wechaty brings deprecated packages a deployment without WeChat should not ship). When
 * WECHATY_PUPPET is set, this says which of them is missing, and how to install it.
 */

/** The packages WeChat needs that cannot be loaded, by name (empty when all load). */
export async function missingWechatPackages(puppet: string): Promise<string[]> {
  const missing: string[] = [];
  for (const name of ['wechaty', puppet]) {
    try {
      await import(name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') missing.push(name);
      else throw error;
    }
  }
  return missing;
}

/** What the operator is told when they are missing, in both languages. */
export const missingWechatText = (missing: readonly string[]) =>
  `已设置 WECHATY_PUPPET，但未安装：${missing.join('、')}。微信渠道需另行安装：npm install --no-save ${missing.join(' ')}\n` +
  `WECHATY_PUPPET is set, but not installed: ${missing.join(', ')}. The WeChat channel is installed separately: npm install --no-save ${missing.join(' ')}`;
