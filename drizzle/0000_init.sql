CREATE TABLE "guild_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"dj_role_id" text,
	"vote_skip_ratio" real DEFAULT 0.5 NOT NULL,
	"overlay_key_hash" text,
	"max_queue_length" integer,
	"max_per_user" integer,
	"default_volume" integer DEFAULT 100 NOT NULL,
	"stay_in_voice" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "music_provider_config" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"provider_type" varchar(50) NOT NULL,
	"name" text NOT NULL,
	"config" jsonb NOT NULL,
	"is_enabled" boolean DEFAULT true,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	-- Unique per (community_id, name), not the seed's (community_id, provider_type): a guild needs
	-- several stations of one provider type (two Icecast streams, say), and stations are picked by name.
	CONSTRAINT "music_provider_config_community_name_key" UNIQUE("community_id","name")
);
--> statement-breakpoint
CREATE TABLE "music_radio_state" (
	"community_id" text PRIMARY KEY NOT NULL,
	"mode" varchar(20) NOT NULL,
	"previous_mode" varchar(20),
	"music_paused_on_switch" boolean DEFAULT false,
	"switched_at" timestamp with time zone,
	"current_station_name" text,
	"current_station_url" text,
	"updated_at" timestamp with time zone DEFAULT now()
);
