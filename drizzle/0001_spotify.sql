CREATE TABLE "spotify_accounts" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"tokens" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"display_name" text,
	"device_id" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "spotify_mode" varchar(10);