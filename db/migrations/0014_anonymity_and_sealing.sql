DROP TABLE "app_secrets" CASCADE;--> statement-breakpoint
ALTER TABLE "poll_votes" ALTER COLUMN "answer" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ALTER COLUMN "person_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ALTER COLUMN "origin_channel" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ALTER COLUMN "origin_chat_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "topic" text;--> statement-breakpoint
ALTER TABLE "poll_votes" ADD COLUMN "ballot" text;--> statement-breakpoint
ALTER TABLE "polls" ADD COLUMN "audience_digest" jsonb;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "author_seal" text;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "author_tag" text;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "launder_due" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "web_chat_messages" ADD COLUMN "topic" text;--> statement-breakpoint
CREATE INDEX "outbox_topic_idx" ON "outbox" USING btree ("topic") WHERE "outbox"."topic" is not null;--> statement-breakpoint
CREATE INDEX "submissions_author_tag_idx" ON "submissions" USING btree ("author_tag") WHERE "submissions"."author_tag" is not null;--> statement-breakpoint
CREATE INDEX "submissions_launder_idx" ON "submissions" USING btree ("id") WHERE "submissions"."launder_due";--> statement-breakpoint
CREATE INDEX "web_chat_messages_topic_idx" ON "web_chat_messages" USING btree ("topic") WHERE "web_chat_messages"."topic" is not null;--> statement-breakpoint
ALTER TABLE "people" DROP COLUMN "poll_notice_seen";--> statement-breakpoint
ALTER TABLE "poll_votes" ADD CONSTRAINT "poll_votes_content_ck" CHECK (("poll_votes"."ballot" is null) <> ("poll_votes"."answer" is null));--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_author_ck" CHECK (("submissions"."anonymous" and "submissions"."person_id" is null and "submissions"."origin_chat_id" is null and "submissions"."author_seal" is not null and "submissions"."author_tag" is not null)
        or (not "submissions"."anonymous" and "submissions"."person_id" is not null and "submissions"."origin_channel" is not null and "submissions"."origin_chat_id" is not null)) NOT VALID;