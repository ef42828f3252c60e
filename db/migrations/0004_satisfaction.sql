ALTER TABLE "submissions" ADD COLUMN "rating" smallint;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "rating_comment" text;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "rated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "submissions_rated_idx" ON "submissions" USING btree ("rated_at");