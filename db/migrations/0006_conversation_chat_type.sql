ALTER TABLE "conversations" ADD COLUMN "chat_type" text;--> statement-breakpoint
CREATE INDEX "conversations_person_idx" ON "conversations" USING btree ("person_id","updated_at");