ALTER TABLE "submissions" ADD COLUMN "ack_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "escalated_at" timestamp with time zone;