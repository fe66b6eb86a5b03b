-- The voice channel a radio station played in, so that a restarted bot rejoins it and plays the station again.
ALTER TABLE "music_radio_state" ADD COLUMN "voice_channel_id" text;