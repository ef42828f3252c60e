CREATE TABLE "directory_syncs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "directory_syncs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" text NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org_units" ADD COLUMN "directory_key" text;--> statement-breakpoint
CREATE INDEX "directory_syncs_status_idx" ON "directory_syncs" USING btree ("status","id");--> statement-breakpoint
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_directory_key_uq" UNIQUE("directory_key");