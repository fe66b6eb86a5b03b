CREATE TABLE "saved_playlists" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"created_by" text NOT NULL,
	"tracks" jsonb NOT NULL,
	"track_count" integer NOT NULL,
	"duration_ms" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "saved_playlists_owner_name_key" ON "saved_playlists" USING btree ("guild_id","owner",lower("name"));