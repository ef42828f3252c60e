CREATE TABLE "roster_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"uploaded_by" uuid,
	"rows" text,
	"imported_at" timestamp with time zone,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "name_source" text DEFAULT 'generated' NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "employee_no" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "member_since" date;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_employee_no_uq" UNIQUE("employee_no");--> statement-breakpoint
UPDATE "people" SET "name_source" = 'channel' WHERE "display_name" !~ '^(网页用户|飞书用户|微信用户) .{1,4}$';