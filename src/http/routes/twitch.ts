import { z } from 'zod';
import type { Actions, TwitchStatus } from '../../actions/index.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { apiCallOf } from '../wire.ts';

/** The link a PUT sets; command words replace their defaults one by one (without the '!'). */
export const twitchLinkBody = z.strictObject({
  channel: z.string().min(1).max(30),
  commands: z
    .strictObject({
      request: z.string().max(20),
      vote_up: z.string().max(20),
      vote_down: z.string().max(20),
      song: z.string().max(20),
      queue: z.string().max(20),
    })
    .partial()
    .optional(),
});

export function wireTwitchStatus(guildId: string, s: TwitchStatus) {
  return {
    community_id: guildId,
    linked: s.linked,
    channel: s.channel,
    commands: s.commands
      ? {
          request: s.commands.request,
          vote_up: s.commands.voteUp,
          vote_down: s.commands.voteDown,
          song: s.commands.song,
          queue: s.commands.queue,
        }
      : null,
    state: s.state,
    paused_reason: s.pausedReason,
    bot_account: s.botAccount,
  };
}

/** The guild's Twitch link: read it, set it (link or re-link), remove it. */
export function twitchRoutes(deps: {
  actions: Pick<Actions, 'twitch'>;
  hasCommunity(guildId: string): boolean;
}): Route[] {
  const { twitch } = deps.actions;
  const path = '/api/v1/twitch/{community_id}';
  const call = apiCallOf(deps.hasCommunity);
  return [
    {
      method: 'GET',
      path,
      summary: "The community's Twitch link and whether its chat is read",
      auth: true,
      handler: async ({ res, params }) => {
        const c = call(params);
        sendData(res, 200, wireTwitchStatus(c.guildId, await twitch.status(c)));
      },
    },
    {
      method: 'PUT',
      path,
      summary: "Link a Twitch channel: its viewers' chat commands request songs into the queue",
      body: twitchLinkBody,
      auth: true,
      write: true,
      handler: async ({ res, params, body }) => {
        const b = twitchLinkBody.parse(body ?? {});
        const c = call(params);
        const w = b.commands;
        const status = await twitch.link(c, {
          channel: b.channel,
          ...(w && {
            commands: {
              ...(w.request !== undefined && { request: w.request }),
              ...(w.vote_up !== undefined && { voteUp: w.vote_up }),
              ...(w.vote_down !== undefined && { voteDown: w.vote_down }),
              ...(w.song !== undefined && { song: w.song }),
              ...(w.queue !== undefined && { queue: w.queue }),
            },
          }),
        });
        sendData(res, 200, wireTwitchStatus(c.guildId, status));
      },
    },
    {
      method: 'DELETE',
      path,
      summary: 'Unlink the Twitch channel (the queue is kept)',
      auth: true,
      write: true,
      handler: async ({ res, params }) => {
        const c = call(params);
        sendData(res, 200, wireTwitchStatus(c.guildId, await twitch.unlink(c)));
      },
    },
  ];
}
