/**
 * The port each capability's schedule work is handed to the tick through: what one fire of a
 * kind of schedule queues. The runtime composes one handler per kind (src/runtime/services-jobs.ts).
 */
import type { Db } from '../../../db/handle.ts';
import type { ScheduleRow } from '../../../db/schema/index.ts';

/** Queues one fire's work inside the claiming transaction. */
export type ScheduleHandler = (tx: Db, schedule: ScheduleRow, fireAt: Date) => Promise<void>;
