/**
 * Where people reach this server: PUBLIC_URL when it is set, else the address it listens on.
 * Links in messages are built from it, and a link to this machine itself (localhost) opens on no
 * one's phone, which the Node server warns about at start.
 */

/** The base URL of a listen address; the wildcard addresses (every interface) read as localhost. */
export function listenUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** The base of every link this server sends: PUBLIC_URL, or the listen address when it is unset. */
export function linkBase(config: { PUBLIC_URL?: string | undefined; HOST: string; PORT: number }): string {
  return config.PUBLIC_URL ?? listenUrl(config.HOST, config.PORT);
}

/** Whether a URL names this machine only: localhost, 127.0.0.0/8, ::1 or a wildcard address. */
export function pointsAtThisMachine(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '0.0.0.0' ||
    host === '[::1]' ||
    host === '[::]' ||
    /^\[::ffff:7f[0-9a-f]{2}:/.test(host)
  );
}

/** A URL as it may be shown in a log: without a user name or password, and without a trailing slash. */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.href.replace(/\/+$/, '');
}
