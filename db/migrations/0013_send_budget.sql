CREATE TABLE "send_budget" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"window_ms" integer NOT NULL,
	"used" integer NOT NULL
);
