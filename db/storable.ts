/**
 * PostgreSQL's text and jsonb cannot hold NUL or unpaired UTF-16 surrogates, and refuse the
 * whole statement when given one. Text from outside (a chat message) may carry either; this
 * replaces them with U+FFFD so the event is kept rather than refused on every retry.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is looked for
const nul = /\u0000/g;

export function storableText(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replace(nul, '\ufffd') : wellFormed;
}

/** A copy of a JSON value with every string (keys included) made storable; the same value when nothing needed it. */
export function storableJson<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) {
    const out = value.map(clean);
    return out.every((v, i) => v === value[i]) ? value : out;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = storableText(k);
      const cleaned = clean(v);
      if (key !== k || cleaned !== v) changed = true;
      out[key] = cleaned;
    }
    return changed ? out : value;
  }
  return value;
}
