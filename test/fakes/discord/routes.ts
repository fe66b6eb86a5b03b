import type { APIApplicationCommand, APIEmbed } from 'discord-api-types/v10';
import { GatewayDispatchEvents, InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import type { FakeDiscord } from './index.ts';
import type { PendingInteraction } from './interactions.ts';
import { snowflake } from './snowflake.ts';
import { channelAPI, type FakeMessage } from './state.ts';

interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
}

/** The REST routes a bot calls, answered from the fake's state. */
export function registerRoutes(discord: FakeDiscord): void {
  const rest = discord.rest;
  const newMessage = (channelId: string, body: MessageBody, interactionId: string | null): FakeMessage => {
    const where = discord.channelOf(channelId);
    const message: FakeMessage = {
      id: snowflake(),
      channelId,
      guildId: where?.guild.id ?? '',
      author: discord.bot,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      flags: body.flags ?? 0,
      timestamp: new Date().toISOString(),
      editedTimestamp: null,
      reactions: new Map(),
      interactionId,
    };
    discord.messages.set(message.id, message);
    return message;
  };
  const edit = (message: FakeMessage, body: MessageBody) => {
    if (body.content !== undefined) message.content = body.content ?? '';
    if (body.embeds !== undefined) message.embeds = body.embeds ?? [];
    if (body.components !== undefined) message.components = body.components ?? [];
    message.editedTimestamp = new Date().toISOString();
    discord.notify();
  };
  const interaction = (token: string): PendingInteraction | undefined => discord.interactions.get(token);

  rest.route('GET', '/gateway/bot', () => ({
    status: 200,
    body: {
      url: discord.gateway.url,
      shards: discord.recommendedShards,
      session_start_limit: {
        total: 1000,
        remaining: 999,
        reset_after: 0,
        max_concurrency: discord.gateway.maxConcurrency,
      },
    },
  }));
  rest.route('GET', '/users/@me', () => ({ status: 200, body: discord.bot }));
  rest.route('GET', '/applications/@me', () => ({
    status: 200,
    body: { id: discord.applicationId, name: 'Unified Music', bot: discord.bot, flags: 0 },
  }));

  // Command registration: global and per guild.
  const putCommands = (scope: string, body: unknown) => {
    const list = (body as Partial<APIApplicationCommand>[]).map((c) => ({
      ...c,
      id: snowflake(),
      application_id: discord.applicationId,
      version: snowflake(),
      default_member_permissions: c.default_member_permissions ?? null,
      type: c.type ?? 1,
      nsfw: c.nsfw ?? false,
      name_localizations: c.name_localizations ?? null,
      description_localizations: c.description_localizations ?? null,
      integration_types: c.integration_types ?? [0],
      contexts: c.contexts ?? null,
      ...(scope === 'global' ? {} : { guild_id: scope }),
    })) as APIApplicationCommand[];
    discord.commands.set(scope, list);
    discord.notify();
    return { status: 200, body: list };
  };
  rest.route('GET', '/applications/:app/commands', () => ({
    status: 200,
    body: discord.commands.get('global') ?? [],
  }));
  rest.route('PUT', '/applications/:app/commands', (r) => putCommands('global', r.body));
  rest.route('GET', '/applications/:app/guilds/:guild/commands', (r) => ({
    status: 200,
    body: discord.commands.get(r.params[1]!) ?? [],
  }));
  rest.route('PUT', '/applications/:app/guilds/:guild/commands', (r) => putCommands(r.params[1]!, r.body));

  // Interaction responses.
  rest.route('POST', '/interactions/:id/:token/callback', (r) => {
    const pending = interaction(r.params[1]!);
    if (!pending) return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    if (pending.callbacks.length > 0) {
      return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    }
    const { type, data } = r.body as { type: number; data?: MessageBody & { choices?: [] } };
    pending.callbacks.push({ type, data: data as Record<string, unknown> });
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        pending.ephemeral = Boolean((data?.flags ?? 0) & MessageFlags.Ephemeral);
        pending.message = newMessage(pending.channelId, data ?? {}, pending.id);
        pending.finish();
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        pending.deferred = true;
        pending.ephemeral = Boolean((data?.flags ?? 0) & MessageFlags.Ephemeral);
        break;
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        pending.choices = data?.choices ?? [];
        pending.finish();
        break;
      case InteractionResponseType.UpdateMessage:
      case InteractionResponseType.DeferredMessageUpdate: {
        // Only a component's interaction has a message to update.
        const source = pending.sourceMessageId ? discord.messages.get(pending.sourceMessageId) : undefined;
        if (!source) {
          pending.callbacks.pop();
          return { status: 400, body: { message: 'Interaction has no message to update', code: 50035 } };
        }
        if (type === InteractionResponseType.UpdateMessage) edit(source, data ?? {});
        pending.message = source;
        pending.finish();
        break;
      }
      default:
        return { status: 400, body: { message: `Unsupported callback type ${type}`, code: 50035 } };
    }
    discord.notify();
    return { status: 204 };
  });
  const original = (r: { params: string[] }) => interaction(r.params[1]!);
  rest.route('GET', '/webhooks/:app/:token/messages/@original', (r) => {
    const pending = original(r);
    if (!pending?.message) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    return { status: 200, body: discord.messageAPI(pending.message) };
  });
  rest.route('PATCH', '/webhooks/:app/:token/messages/@original', (r) => {
    const pending = original(r);
    if (!pending) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    const body = r.body as MessageBody;
    if (!pending.message) {
      pending.message = newMessage(
        pending.channelId,
        { ...body, flags: pending.ephemeral ? MessageFlags.Ephemeral : 0 },
        pending.id,
      );
    } else {
      edit(pending.message, body);
    }
    pending.finish();
    discord.notify();
    return { status: 200, body: discord.messageAPI(pending.message) };
  });
  rest.route('DELETE', '/webhooks/:app/:token/messages/@original', (r) => {
    const pending = original(r);
    if (pending?.message) discord.messages.delete(pending.message.id);
    if (pending) pending.deletedOriginal = true;
    discord.notify();
    return { status: 204 };
  });
  rest.route('POST', '/webhooks/:app/:token', (r) => {
    const pending = original(r);
    if (!pending) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    const message = newMessage(pending.channelId, r.body as MessageBody, pending.id);
    pending.followUps.push(message);
    if (pending.deferred && !pending.settled) {
      // A deferral answered by a follow-up (e.g. an error shown only to the member).
      pending.message = message;
      pending.ephemeral = Boolean(message.flags & MessageFlags.Ephemeral);
      pending.finish();
    }
    discord.notify();
    return { status: 200, body: discord.messageAPI(message) };
  });

  // Channels and messages.
  rest.route('GET', '/channels/:channel', (r) => {
    const where = discord.channelOf(r.params[0]!);
    if (!where) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    return { status: 200, body: channelAPI(where.channel, where.guild.id) };
  });
  rest.route('POST', '/channels/:channel/messages', (r) => {
    if (!discord.channelOf(r.params[0]!))
      return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    const message = newMessage(r.params[0]!, r.body as MessageBody, null);
    discord.dispatch(GatewayDispatchEvents.MessageCreate, discord.messageAPI(message));
    discord.notify();
    return { status: 200, body: discord.messageAPI(message) };
  });
  const message = (r: { params: string[] }) => {
    const m = discord.messages.get(r.params[1]!);
    return m && m.channelId === r.params[0] ? m : null;
  };
  rest.route('GET', '/channels/:channel/messages/:message', (r) => {
    const m = message(r);
    return m
      ? { status: 200, body: discord.messageAPI(m) }
      : { status: 404, body: { message: 'Unknown Message', code: 10008 } };
  });
  rest.route('PATCH', '/channels/:channel/messages/:message', (r) => {
    const m = message(r);
    if (!m) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    edit(m, r.body as MessageBody);
    return { status: 200, body: discord.messageAPI(m) };
  });
  rest.route('DELETE', '/channels/:channel/messages/:message', (r) => {
    const m = message(r);
    if (m) discord.messages.delete(m.id);
    return { status: 204 };
  });
  rest.route('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', (r) => {
    const m = message(r);
    if (!m) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    discord.setReaction(m, discord.bot.id, r.params[2]!, true);
    return { status: 204 };
  });
  rest.route('DELETE', '/channels/:channel/messages/:message/reactions/:emoji/@me', (r) => {
    const m = message(r);
    if (m) discord.setReaction(m, discord.bot.id, r.params[2]!, false);
    return { status: 204 };
  });

  // Guild lookups discord.js may make.
  rest.route('GET', '/guilds/:guild/members/:user', (r) => {
    const guild = discord.guilds.get(r.params[0]!);
    const member = guild?.members.get(r.params[1]!);
    if (r.params[1] === discord.bot.id) {
      return {
        status: 200,
        body: {
          user: discord.bot,
          roles: [],
          joined_at: new Date(0).toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
        },
      };
    }
    return member
      ? { status: 200, body: member.toAPI() }
      : { status: 404, body: { message: 'Unknown Member', code: 10007 } };
  });
  rest.route('GET', '/guilds/:guild/roles', (r) => ({
    status: 200,
    body: discord.guilds.get(r.params[0]!)?.rolesAPI() ?? [],
  }));
  rest.route('GET', '/guilds/:guild/channels', (r) => ({
    status: 200,
    body: discord.guilds.get(r.params[0]!)?.channelsAPI() ?? [],
  }));
}
