/*
 * Spotify's names the composition root uses. This folder only defines the pieces; src/app/spotify.ts
 * constructs and wires them.
 */
export type { SpotifyConnection } from '../providers/spotify.ts';
export { spotifyOffRoutes } from './routes.ts';
