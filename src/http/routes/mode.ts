import { z } from 'zod';
import type { ModeController, ModeState } from '../../mode/controller.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { communityOf } from '../wire.ts';

const modeBody = z.strictObject({
  mode: z.enum(['music', 'radio', 'none']),
  station: z.string().min(1).max(100).optional(),
});

/** The seed's ModeState on the wire. */
export function wireMode(s: ModeState) {
  return {
    community_id: s.guildId,
    active_mode: s.mode,
    previous_mode: s.previousMode,
    music_paused_on_switch: s.musicPausedOnSwitch,
    switched_at: s.switchedAt,
    current_station_name: s.stationName,
    current_station_url: s.stationUrl,
  };
}

export function modeRoutes(deps: { mode: ModeController; hasCommunity(guildId: string): boolean }): Route[] {
  const path = '/api/v1/mode/{community_id}';
  const community = (params: Record<string, string>) => communityOf(params, deps.hasCommunity);
  return [
    {
      method: 'GET',
      path,
      summary: 'The music/radio mode',
      auth: true,
      handler: async ({ res, params }) =>
        sendData(res, 200, wireMode(await deps.mode.get(community(params)))),
    },
    {
      method: 'POST',
      path,
      summary: 'Switch the mode (music, radio with a station, or none)',
      body: modeBody,
      auth: true,
      write: true,
      handler: async ({ res, params, body }) => {
        const guildId = community(params);
        const { mode, station } = modeBody.parse(body);
        sendData(res, 200, wireMode(await deps.mode.switchTo(guildId, mode, station ? { station } : {})));
      },
    },
  ];
}
