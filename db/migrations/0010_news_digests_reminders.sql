CREATE TABLE "news_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"topic" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"image_url" text,
	"audience" jsonb NOT NULL,
	"publish_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"cursor" text,
	"queued" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "news_opt_outs" (
	"person_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "news_opt_outs_person_id_topic_pk" PRIMARY KEY("person_id","topic")
);
--> statement-breakpoint
CREATE TABLE "news_recipients" (
	"news_id" uuid NOT NULL,
	"recipient" text NOT NULL,
	"outbox_uuid" uuid NOT NULL,
	CONSTRAINT "news_recipients_news_id_recipient_pk" PRIMARY KEY("news_id","recipient")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "priority" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "no" integer NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "schedules_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "system_key" text;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "rating_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "news_items" ADD CONSTRAINT "news_items_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_opt_outs" ADD CONSTRAINT "news_opt_outs_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_recipients" ADD CONSTRAINT "news_recipients_news_id_news_items_id_fk" FOREIGN KEY ("news_id") REFERENCES "public"."news_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "news_items_due_idx" ON "news_items" USING btree ("status","publish_at");--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_no_uq" UNIQUE("no");--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_system_key_uq" UNIQUE("system_key");