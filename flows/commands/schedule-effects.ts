/** What the schedule and digest commands ask of the server. */

/** A schedule as officers see it in chat. */
export interface ScheduleBrief {
  no: number;
  name: string;
  cron: string;
  timeZone: string;
  kind: string;
  enabled: boolean;
  /** ISO time, or null when it never fires again. */
  nextFireAt: string | null;
}

export interface ScheduleEffects {
  'schedules.list': { effect: Record<never, never>; result: { items: ScheduleBrief[] } };
  /** run: fires at the next tick (within a minute), once, whatever its cron says (a paused one is resumed). */
  'schedules.act': {
    effect: { no: number; action: 'pause' | 'resume' | 'run' };
    result: { ok: true; item: ScheduleBrief } | { ok: false; reason: 'not_found' };
  };
  /** A message to this chat on a cron, in the default time zone. */
  'schedules.create': {
    effect: { cron: string; text: string };
    result:
      | { ok: true; item: ScheduleBrief }
      | { ok: false; reason: 'never' }
      | { ok: false; reason: 'bad_cron'; detail: string };
  };
  /**
   * The person's own daily digest: shown, moved to a time of day, or turned on or off. time: HH:MM
   * when the digest runs once a day at a fixed time, else null.
   */
  'digest.settings': {
    effect: { change: { hour: number; minute: number } | { enabled: boolean } | null };
    result: { ok: true; item: ScheduleBrief; time: string | null } | { ok: false };
  };
}
