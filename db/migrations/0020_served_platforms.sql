CREATE TABLE "served_platforms" (
	"platform" text PRIMARY KEY NOT NULL,
	"first_served_at" timestamp with time zone NOT NULL
);
