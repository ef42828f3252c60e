/**
 * Structured logs: one JSON line per event. Callers pass ids, counts and codes only; message
 * text and personal data never go to the log at info level or above.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => console.log(line),
  base: LogFields = {},
): Logger {
  const emit = (at: LogLevel, event: string, fields?: LogFields) => {
    if (rank[at] < rank[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, event, ...base, ...fields }));
  };
  return {
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
    child: (fields) => createLogger(level, write, { ...base, ...fields }),
  };
}

/**
 * A short description of an error for the log: its name, code and message, never its data. A
 * failed query's wrapper (drizzle's) spells out the parameters, which are people's words, so the
 * database's own error underneath is reported instead, with the statement but not its values.
 */
export function errorFields(error: unknown): LogFields {
  if (isQueryError(error) && error.cause instanceof Error) {
    const inner = errorFields(error.cause);
    return { ...inner, statement: error.query.replace(/\s+/g, ' ').slice(0, 160) };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      error: error.name,
      code: typeof code === 'string' ? code : undefined,
      message: error.message.slice(0, 300),
    };
  }
  return { error: typeof error };
}

function isQueryError(error: unknown): error is { query: string; params: unknown[]; cause?: unknown } {
  return (
    error instanceof Error &&
    typeof (error as { query?: unknown }).query === 'string' &&
    Array.isArray((error as { params?: unknown }).params)
  );
}
