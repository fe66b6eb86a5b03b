import { z } from 'zod';
import type { Actions } from '../../actions/index.ts';
import { plainLine } from '../../core/text.ts';
import type { ModeState } from '../../mode/controller.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { apiCallOf } from '../wire.ts';

const modeBody = z.strictObject({
  mode: z.enum(['music', 'radio', 'none']),
  station: plainLine().min(1).max(100).optional(),
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

export function modeRoutes(deps: {
  actions: Pick<Actions, 'radio'>;
  hasCommunity(guildId: string): boolean;
}): Route[] {
  const { radio } = deps.actions;
  const path = '/api/v1/mode/{community_id}';
  const call = apiCallOf(deps.hasCommunity);
  return [
    {
      method: 'GET',
      path,
      summary: 'The music/radio mode',
      auth: true,
      handler: async ({ res, params }) => sendData(res, 200, wireMode(await radio.mode(call(params)))),
    },
    {
      method: 'POST',
      path,
      summary: 'Switch the mode (music, radio with a station, or none)',
      body: modeBody,
      auth: true,
      write: true,
      handler: async ({ res, params, body }) => {
        const { mode, station } = modeBody.parse(body);
        sendData(
          res,
          200,
          wireMode(await radio.switchMode(call(params), { mode, ...(station ? { station } : {}) })),
        );
      },
    },
  ];
}
