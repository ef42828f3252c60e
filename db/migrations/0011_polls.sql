CREATE TABLE "poll_postings" (
	"poll_id" uuid NOT NULL,
	"no" integer NOT NULL,
	"channel" text NOT NULL,
	"chat_id" text NOT NULL,
	"group" boolean NOT NULL,
	"person_id" uuid,
	CONSTRAINT "poll_postings_poll_id_no_pk" PRIMARY KEY("poll_id","no")
);
--> statement-breakpoint
CREATE TABLE "poll_secrets" (
	"poll_id" uuid PRIMARY KEY NOT NULL,
	"secret" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "poll_votes" (
	"poll_id" uuid NOT NULL,
	"token" text NOT NULL,
	"answer" smallint NOT NULL,
	"comment" text,
	"segment" integer,
	"voted_on" date NOT NULL,
	CONSTRAINT "poll_votes_poll_id_token_pk" PRIMARY KEY("poll_id","token")
);
--> statement-breakpoint
CREATE TABLE "polls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" bigint GENERATED ALWAYS AS IDENTITY (sequence name "polls_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"question" text NOT NULL,
	"kind" text NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"allow_comment" boolean DEFAULT false NOT NULL,
	"audience" jsonb NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"threshold" integer DEFAULT 5 NOT NULL,
	"comment_threshold" integer DEFAULT 10 NOT NULL,
	"remind_after_minutes" integer,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"schedule_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reminded_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"results" jsonb,
	CONSTRAINT "polls_no_uq" UNIQUE("no"),
	CONSTRAINT "polls_code_uq" UNIQUE("code"),
	CONSTRAINT "polls_threshold_ck" CHECK ("polls"."threshold" >= 3 and "polls"."comment_threshold" >= 3)
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "poll_notice_seen" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "poll_postings" ADD CONSTRAINT "poll_postings_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_postings" ADD CONSTRAINT "poll_postings_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_secrets" ADD CONSTRAINT "poll_secrets_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_votes" ADD CONSTRAINT "poll_votes_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "polls" ADD CONSTRAINT "polls_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "poll_postings_chat_idx" ON "poll_postings" USING btree ("poll_id","chat_id");--> statement-breakpoint
CREATE INDEX "polls_due_idx" ON "polls" USING btree ("status","opens_at");--> statement-breakpoint
CREATE INDEX "polls_schedule_idx" ON "polls" USING btree ("schedule_id");