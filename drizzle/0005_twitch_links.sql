CREATE TABLE "twitch_links" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"channel" varchar(25) NOT NULL,
	"commands" jsonb NOT NULL,
	"paused_reason" text,
	"paused_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "twitch_links_channel_unique" UNIQUE("channel")
);
