import type { ZodType } from 'zod';
import * as core from './api-schemas.ts';
import * as features from './api-schemas-features.ts';
import { importQuery } from './routes/blocklist.ts';
import { lyricsQuery } from './routes/lyrics.ts';
import { playlistQuery } from './routes/playlists.ts';
import { historyQuery } from './wire.ts';

/** Every answer's schema: the core API's and the features'. */
const s = { ...core, ...features };

/** What the OpenAPI document says of one operation beyond its route: its id, answer and failures. */
export interface OperationDoc {
  operationId: string;
  /** The success status. */
  status: number;
  /**
   * The success body: the envelope's `data` schema, `null` for no body, or another media type
   * (`html`: a page; `text`: Prometheus text; `document`: this OpenAPI document, not enveloped;
   * `image`: PNG, JPEG, GIF, WebP or AVIF bytes).
   */
  data: ZodType | null | 'html' | 'text' | 'document' | 'image';
  /** Another success: 204 (nothing is playing). */
  noContent?: boolean;
  /** Failures particular to the operation; the ones every route of its kind has are added by openapi.ts. */
  errors?: number[];
  query?: ZodType;
}

const op = (
  operationId: string,
  status: number,
  data: OperationDoc['data'],
  errors: number[] = [],
  extra: Partial<OperationDoc> = {},
): OperationDoc => ({ operationId, status, data, errors, ...extra });

/** A guild-scoped action that may reach a provider or Spotify (502) or a part that is off (503). */
const UPSTREAM = [502, 503];

/**
 * Every operation the side-server serves, by `METHOD path`. A route missing here fails the OpenAPI
 * test (test/unit/http/openapi.test.ts), so the document cannot silently fall behind the routes.
 */
export const OPERATIONS: Record<string, OperationDoc> = {
  'GET /health': op('getLiveness', 200, s.liveOut),
  'GET /healthz': op('getReadiness', 200, s.readyOut, [503]),
  'GET /metrics': op('getMetrics', 200, 'text'),
  'GET /api/v1/status': op('getStatus', 200, s.statusOut),
  'GET /api/v1/openapi.json': op('getOpenApiDocument', 200, 'document'),

  'GET /api/v1/providers': op('listProviders', 200, s.providersOut),
  'GET /api/v1/providers/{provider}/status': op('getProviderStatus', 200, s.providerOut, [404]),
  'POST /api/v1/providers/{provider}/search': op('searchProvider', 200, s.searchOut, [404, ...UPSTREAM]),

  'GET /api/v1/queue/{community_id}': op('getQueue', 200, s.queueOut),
  'POST /api/v1/queue/{community_id}/add': op('addToQueue', 201, s.addOut, [403, 409, 422, 429, ...UPSTREAM]),
  'POST /api/v1/queue/{community_id}/vote/{queue_item_id}': op('vote', 200, s.voteOut, [409]),
  'DELETE /api/v1/queue/{community_id}/vote/{queue_item_id}': op('withdrawVote', 200, s.voteOut, [409]),
  'POST /api/v1/queue/{community_id}/clear': op('clearQueue', 200, s.clearOut),
  'POST /api/v1/queue/{community_id}/skip': op('skipQueueItem', 200, s.skipOut, [409, ...UPSTREAM]),
  'GET /api/v1/queue/{community_id}/history': op('getHistory', 200, s.historyOut, [], {
    query: historyQuery,
  }),
  'GET /api/v1/queue/{community_id}/stats': op('getQueueStats', 200, s.statsOut),
  'DELETE /api/v1/queue/{community_id}/{queue_item_id}': op('removeQueueItem', 200, s.removedItemOut),

  'POST /api/v1/playback/{community_id}/play': op('play', 200, s.playerStateOut, [409, ...UPSTREAM]),
  'POST /api/v1/playback/{community_id}/pause': op('pause', 200, s.playerStateOut, [409, ...UPSTREAM]),
  'POST /api/v1/playback/{community_id}/resume': op('resume', 200, s.playerStateOut, [409, ...UPSTREAM]),
  'POST /api/v1/playback/{community_id}/stop': op('stop', 200, s.playerStateOut, [409, ...UPSTREAM]),
  'POST /api/v1/playback/{community_id}/skip': op('skip', 200, s.playerStateOut, [409, ...UPSTREAM]),
  'POST /api/v1/playback/{community_id}/volume': op('setVolume', 200, s.playerStateOut, [409, ...UPSTREAM]),
  'GET /api/v1/playback/{community_id}/filter': op('getFilter', 200, s.filterOut),
  'PUT /api/v1/playback/{community_id}/filter': op('setFilter', 200, s.filterOut, [409, ...UPSTREAM]),
  'PUT /api/v1/playback/{community_id}/eq': op('setEq', 200, s.filterOut, [409, ...UPSTREAM]),
  'GET /api/v1/playback/{community_id}/now-playing': op('getNowPlaying', 200, s.nowPlayingOut, [], {
    noContent: true,
  }),
  'GET /api/v1/playback/{community_id}/state': op('getPlayerState', 200, s.playerStateOut),

  'GET /api/v1/settings/{community_id}': op('getSettings', 200, s.settingsOut),
  'PATCH /api/v1/settings/{community_id}': op('updateSettings', 200, s.settingsOut),

  'GET /api/v1/blocklist/{community_id}': op('getBlocklist', 200, s.blocklistOut),
  'POST /api/v1/blocklist/{community_id}': op('addToBlocklist', 200, s.blocklistAddOut, [409]),
  'POST /api/v1/blocklist/{community_id}/remove': op('removeFromBlocklist', 200, s.blocklistRemoveOut),
  'POST /api/v1/blocklist/{community_id}/import': op('importBlocklist', 200, s.blocklistImportOut, [409], {
    query: importQuery,
  }),

  'GET /api/v1/mode/{community_id}': op('getMode', 200, s.modeOut),
  'POST /api/v1/mode/{community_id}': op('switchMode', 200, s.modeOut, [403, 409, ...UPSTREAM]),

  'GET /api/v1/radio/{community_id}/stations': op('listStations', 200, s.stationsOut),
  'POST /api/v1/radio/{community_id}/stations': op('saveStation', 201, s.stationOut, [403, 409]),
  'DELETE /api/v1/radio/{community_id}/stations/{name}': op('deleteStation', 200, s.stationDeletedOut),
  'POST /api/v1/radio/{community_id}/play': op('playStation', 200, s.radioOut, [403, 409, ...UPSTREAM]),
  'POST /api/v1/radio/{community_id}/stop': op('stopStation', 200, s.radioOut, [409]),
  'GET /api/v1/radio/{community_id}/now-playing': op('getStationNowPlaying', 200, s.radioOut),

  'GET /api/v1/lyrics/{community_id}': op('getLyrics', 200, s.lyricsOut, [404, 503], {
    query: lyricsQuery,
  }),
  'GET /api/v1/playlists/{community_id}': op('listPlaylists', 200, s.playlistsOut, [], {
    query: playlistQuery,
  }),
  'POST /api/v1/playlists/{community_id}': op('savePlaylist', 201, s.playlistSavedOut, [409]),
  'POST /api/v1/playlists/{community_id}/import': op('importPlaylist', 201, s.playlistSavedOut, [
    409,
    ...UPSTREAM,
  ]),
  'GET /api/v1/playlists/{community_id}/{name}': op('getPlaylist', 200, s.playlistOut, [], {
    query: playlistQuery,
  }),
  'DELETE /api/v1/playlists/{community_id}/{name}': op('deletePlaylist', 200, s.playlistDeletedOut, [403], {
    query: playlistQuery,
  }),
  'POST /api/v1/playlists/{community_id}/{name}/load': op('loadPlaylist', 200, s.playlistLoadedOut, [
    403,
    409,
    ...UPSTREAM,
  ]),

  'GET /overlay/{community_id}': op('getOverlayPage', 200, 'html', [401], { query: s.overlayPageQuery }),
  'GET /overlay/{community_id}/artwork': op('getOverlayArtwork', 200, 'image', [401, 403, 404, 502], {
    query: s.overlayArtworkQuery,
  }),
  'GET /overlay/{community_id}/lyrics': op('getOverlayLyrics', 200, s.overlayLyricsOut, [401, 404, 503], {
    query: s.overlayLyricsQuery,
  }),
  'POST /api/v1/overlay/{community_id}/key': op('issueOverlayKey', 201, s.overlayKeyOut),
  'POST /api/v1/internal/now-playing': op('inputNowPlaying', 202, s.deliveredOut, [404]),
  'POST /api/v1/internal/mode-change': op('inputModeChange', 202, s.deliveredOut, [404]),
  'POST /api/v1/internal/radio-update': op('inputRadioUpdate', 202, s.deliveredOut, [404]),

  'POST /api/v1/spotify/{community_id}/link': op('startSpotifyLink', 200, s.spotifyLinkOut, [503]),
  'GET /api/v1/spotify/{community_id}': op('getSpotifyStatus', 200, s.spotifyStatusOut, UPSTREAM),
  'PUT /api/v1/spotify/{community_id}/device': op('chooseSpotifyDevice', 200, s.spotifyStatusOut, [
    409,
    ...UPSTREAM,
  ]),
  'DELETE /api/v1/spotify/{community_id}': op('unlinkSpotify', 200, s.spotifyUnlinkOut),

  'GET /api/v1/twitch/{community_id}': op('getTwitchLink', 200, s.twitchStatusOut),
  'PUT /api/v1/twitch/{community_id}': op('linkTwitchChannel', 200, s.twitchStatusOut, [409]),
  'DELETE /api/v1/twitch/{community_id}': op('unlinkTwitchChannel', 200, s.twitchStatusOut),
  'GET /auth/spotify/callback': op('finishSpotifyLink', 200, 'html', [400, 404, 409, 502], {
    query: s.spotifyCallbackQuery,
  }),
};
