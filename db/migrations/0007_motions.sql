CREATE TABLE "congress_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"open" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "motion_cosigners" (
	"submission_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"status" text DEFAULT 'invited' NOT NULL,
	"responded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "motion_cosigners_submission_id_person_id_pk" PRIMARY KEY("submission_id","person_id")
);
--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "session_id" uuid;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "cosign_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "motion_cosigners" ADD CONSTRAINT "motion_cosigners_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "motion_cosigners" ADD CONSTRAINT "motion_cosigners_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "motion_cosigners_person_idx" ON "motion_cosigners" USING btree ("person_id");--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_session_id_congress_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."congress_sessions"("id") ON DELETE no action ON UPDATE no action;