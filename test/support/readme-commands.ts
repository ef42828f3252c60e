/**
 * The shell commands a Markdown document shows, as a reader would copy them: every line of its
 * ```sh blocks, with continued lines (ending in a backslash) joined, a `for … done` loop kept
 * whole, and comments and blank lines dropped.
 */

/** The line without its comment: from an unquoted # at the start or after a space. */
export function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

export function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    const lines = block[1]!
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .map(withoutComment);
    let loop: string[] | null = null;
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      if (loop) {
        loop.push(line);
        if (line === 'done') {
          commands.push(loop.join('\n'));
          loop = null;
        }
      } else if (/^(for|while) /.test(line)) {
        loop = [line];
      } else {
        commands.push(line);
      }
    }
    if (loop) throw new Error(`a loop without its done: ${loop[0]}`);
  }
  return commands;
}
