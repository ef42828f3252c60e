CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" smallint,
	"submission_id" uuid,
	"owner_tag" text,
	"source" text NOT NULL,
	"source_seal" text,
	"source_kind" text,
	"notify_seal" text,
	"state" text NOT NULL,
	"accepts" text,
	"name_sealed" text NOT NULL,
	"mime" text,
	"size" integer,
	"content" "bytea",
	"refusal" text,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_submission_idx" ON "attachments" USING btree ("submission_id");--> statement-breakpoint
CREATE INDEX "attachments_pending_idx" ON "attachments" USING btree ("next_attempt_at") WHERE "attachments"."state" = 'pending' and "attachments"."accepts" is not null;