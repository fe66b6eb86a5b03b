CREATE TABLE "blocklist_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"kind" varchar(10) NOT NULL,
	"value" text NOT NULL,
	"normalized" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "blocklist_entries_guild_kind_value_key" UNIQUE("guild_id","kind","normalized")
);
--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "request_access" varchar(10) DEFAULT 'everyone' NOT NULL;--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "request_role_id" text;--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "max_track_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "allow_live" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "request_cooldown_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "allowed_sources" jsonb DEFAULT '["youtube","soundcloud","spotify","http"]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "queue_order" varchar(10) DEFAULT 'votes' NOT NULL;