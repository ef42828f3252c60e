CREATE TABLE "officer_units" (
	"person_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "officer_units_person_id_org_unit_id_pk" PRIMARY KEY("person_id","org_unit_id")
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "member_no" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "people_member_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1001 CACHE 1);--> statement-breakpoint
ALTER TABLE "officer_units" ADD CONSTRAINT "officer_units_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "officer_units" ADD CONSTRAINT "officer_units_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "officer_units_unit_idx" ON "officer_units" USING btree ("org_unit_id");--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_member_no_uq" UNIQUE("member_no");