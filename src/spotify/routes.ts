import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isUserError } from '../core/errors.ts';
import { snowflakeSchema } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import { sendData } from '../http/envelope.ts';
import type { Route } from '../http/router.ts';
import { communityOf } from '../http/wire.ts';
import { sendLinkPage } from './page.ts';
import type { SpotifyService, SpotifyStatus } from './service.ts';

/** Where Spotify sends the browser back; the default redirect URI is PUBLIC_URL + this. */
export const SPOTIFY_CALLBACK_PATH = '/auth/spotify/callback';

export interface SpotifyRoutesDeps {
  spotify: Pick<SpotifyService, 'startLink' | 'finishLink' | 'status' | 'setDevice' | 'unlink'>;
  hasCommunity(guildId: string): boolean;
  logger: Logger;
}

const linkBody = z.strictObject({ user_id: snowflakeSchema.optional() });
const deviceBody = z.strictObject({ device_id: z.string().trim().min(1).max(200).nullable() });

/** The link status on the wire: always these four fields. */
export function wireStatus(s: SpotifyStatus) {
  return {
    linked: s.linked,
    display_name: s.displayName,
    devices: s.devices.map((d) => ({ id: d.id, name: d.name, type: d.type, is_active: d.isActive })),
    device_id: s.deviceId,
  };
}

/**
 * The REST routes of a guild's Spotify link, and the callback Spotify redirects to (no bearer
 * token: the one-time state is the proof; it answers an HTML page, not JSON).
 */
export function spotifyRoutes(deps: SpotifyRoutesDeps): Route[] {
  const path = '/api/v1/spotify/{community_id}';
  const community = (params: Record<string, string>) => communityOf(params, deps.hasCommunity);
  return [
    {
      method: 'POST',
      path: `${path}/link`,
      summary: 'Start linking a Spotify account: the URL to open (one use, 10 minutes)',
      body: linkBody,
      auth: true,
      write: true,
      handler: ({ res, params, body }) => {
        const guildId = community(params);
        const { user_id } = linkBody.parse(body ?? {});
        const link = deps.spotify.startLink(guildId, user_id ?? null);
        sendData(res, 200, {
          authorize_url: link.authorizeUrl,
          expires_at: new Date(link.expiresAt).toISOString(),
        });
      },
    },
    {
      method: 'GET',
      path,
      summary: 'Whether a Spotify account is linked, its name, devices and the chosen device',
      auth: true,
      handler: async ({ res, params }) =>
        sendData(res, 200, wireStatus(await deps.spotify.status(community(params)))),
    },
    {
      method: 'PUT',
      path: `${path}/device`,
      summary: 'Choose the Spotify device playback goes to (null: the active one)',
      body: deviceBody,
      auth: true,
      write: true,
      handler: async ({ res, params, body }) => {
        const guildId = community(params);
        await deps.spotify.setDevice(guildId, deviceBody.parse(body ?? {}).device_id);
        sendData(res, 200, wireStatus(await deps.spotify.status(guildId)));
      },
    },
    {
      method: 'DELETE',
      path,
      summary: 'Unlink the Spotify account (its tokens are deleted)',
      auth: true,
      write: true,
      handler: async ({ res, params }) => {
        const removed = await deps.spotify.unlink(community(params));
        sendData(res, 200, { linked: false, removed });
      },
    },
    {
      method: 'GET',
      path: SPOTIFY_CALLBACK_PATH,
      summary: "Spotify's redirect after an admin approved (or declined) a link; answers an HTML page",
      auth: false,
      write: true,
      handler: async ({ res, query }) => {
        try {
          const linked = await deps.spotify.finishLink({
            state: query.get('state'),
            code: query.get('code'),
            error: query.get('error'),
          });
          const who = linked.displayName ? ` as ${linked.displayName}` : '';
          sendLinkPage(
            res,
            200,
            'Spotify is linked',
            `Spotify is now linked${who}. You can close this page.`,
          );
        } catch (err) {
          if (isUserError(err)) return sendLinkPage(res, err.status, 'Spotify was not linked', err.message);
          const ref = randomBytes(4).toString('hex');
          deps.logger.error({ err, ref }, 'Spotify callback failed');
          sendLinkPage(res, 500, 'Spotify was not linked', `Something went wrong (reference ${ref}).`);
        }
      },
    },
  ];
}

/** With Spotify off, the status route still answers (unlinked), as clients expect; linking says why not. */
export function spotifyOffRoutes(hasCommunity: (guildId: string) => boolean): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/spotify/{community_id}',
      auth: true,
      summary: 'Spotify link status (Spotify is not configured on this server)',
      handler: ({ res, params }) => {
        communityOf(params, hasCommunity);
        sendData(res, 200, {
          linked: false,
          display_name: null,
          devices: [],
          device_id: null,
          configured: false,
        });
      },
    },
  ];
}
