/** The whole schema, one table a file. */
export * from './app-secrets.ts';
export * from './audit-log.ts';
export * from './channel-identities.ts';
export * from './congress-sessions.ts';
export * from './conversations.ts';
export * from './inbox.ts';
export * from './motion-cosigners.ts';
export * from './officer-units.ts';
export * from './org-units.ts';
export * from './outbox.ts';
export * from './people.ts';
export * from './reference-counters.ts';
export * from './schedules.ts';
export * from './submission-events.ts';
export * from './submissions.ts';
export * from './web-chat-messages.ts';
export * from './web-visitors.ts';
