/** What the console command asks of the server. */

export interface ConsoleEffects {
  /** A one-time sign-in link to the web console for the person asking (an officer or admin). */
  'console.link': { effect: Record<never, never>; result: { ok: true; url: string } | { ok: false } };
}
