CREATE TABLE "person_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"used" integer NOT NULL,
	"previous" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recent_deliveries" (
	"key" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone NOT NULL
);
