import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommand,
  type APIUser,
  ApplicationCommandOptionType,
  ChannelType,
  GatewayDispatchEvents,
  InteractionType,
  MessageFlags,
} from 'discord-api-types/v10';
import { FakeGateway, type Shard, shardOfGuild } from './gateway.ts';
import { PendingInteraction, type Seen } from './interactions.ts';
import { FakeRest, type FakeRestOptions, type Refusal } from './rest.ts';
import { registerRoutes } from './routes.ts';
import { snowflake, snowflakeOnShard } from './snowflake.ts';
import {
  channelAPI,
  type FakeChannel,
  FakeGuild,
  FakeMember,
  type FakeMessage,
  messageAPI,
  voiceState,
} from './state.ts';

export type { FakeChannel, FakeMessage, FakeRestOptions, Refusal, Seen };
export { FakeGuild, FakeMember };

/** A file a member attaches to an attachment option. */
export interface FakeAttachment {
  filename: string;
  content: string | Buffer;
  contentType?: string;
  /** The size Discord reports; the content's by default (a test may make Discord say more). */
  size?: number;
}

type OptionValue = string | number | boolean | FakeAttachment;

/**
 * A local Discord for end-to-end tests: REST and gateway over real sockets, with typed state of
 * guilds, channels, roles, members, messages and reactions. The real discord.js client points at it
 * with `rest: { api: discord.apiUrl }` (the bot's DISCORD_API_URL). Helpers read like a member using
 * Discord: `await discord.slash(guild, member, 'play', { query })`.
 */
export class FakeDiscord {
  readonly token = `fake.${randomBytes(12).toString('hex')}.token`;
  readonly applicationId = snowflake();
  readonly bot: APIUser;
  readonly guilds = new Map<string, FakeGuild>();
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, PendingInteraction>();
  /** Registered commands: 'global' or a guild id -> commands. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  /** Where VOICE_SERVER_UPDATE points the bot ('host:port'); set it to a fake voice server. */
  voiceEndpoint = '127.0.0.1:9';
  readonly rest: FakeRest;
  readonly gateway: FakeGateway;
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];
  private ready = false;
  /** `GET /gateway/bot`'s `shards`: Discord's recommendation (about one per 1,000 guilds). */
  recommendedShards = 1;
  /** Discord closes with 4011 when one shard would hold more guilds than this. */
  maxGuildsPerShard = 2_500;
  /** Intents the application may use; a privileged one not allowed here closes with 4014. */
  allowedIntents = 0xffffffff;

  private constructor(rest: FakeRest, gateway: FakeGateway) {
    this.rest = rest;
    this.gateway = gateway;
    this.bot = {
      id: snowflake(),
      username: 'Unified Music',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    };
  }

  /** Strict as Discord unless `{ strict: false }` (see FakeRest). */
  /** The REST servers started in this process, so a test run can check what they refused. */
  static readonly started: FakeRest[] = [];

  static async start(options: FakeRestOptions = {}): Promise<FakeDiscord> {
    const rest = await FakeRest.start(options);
    FakeDiscord.started.push(rest);
    let discord: FakeDiscord | null = null;
    const gateway = await FakeGateway.start({
      onIdentify: (_intents, shard, session) => discord!.identify(shard, session),
      onVoiceStateUpdate: (d) => discord!.botVoiceUpdate(d.guild_id, d.channel_id),
      refuseIdentify: (intents, shard) => discord!.refuseIdentify(intents, shard),
    });
    discord = new FakeDiscord(rest, gateway);
    registerRoutes(discord);
    return discord;
  }

  get apiUrl(): string {
    return this.rest.apiUrl;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    await this.rest.close();
  }

  // --- world building -------------------------------------------------------------------------------

  /**
   * A new guild. Once the bot is connected, it is told with GUILD_CREATE at once unless `announce` is
   * false; then build the guild (channels, members, voice states) and call `announce(guild)`.
   */
  createGuild(name = 'Test Server', announce = true, options: { shard?: Shard } = {}): FakeGuild {
    const id = options.shard ? snowflakeOnShard(options.shard[0], options.shard[1]) : snowflake();
    const guild = new FakeGuild(name, snowflake(), id);
    this.guilds.set(guild.id, guild);
    if (announce) this.announce(guild);
    return guild;
  }

  /** Tells a connected bot about a guild (GUILD_CREATE, as when the bot is invited). */
  announce(guild: FakeGuild): void {
    if (this.ready) this.gateway.dispatch(GatewayDispatchEvents.GuildCreate, this.guildCreate(guild));
  }

  addTextChannel(guild: FakeGuild, name: string): FakeChannel {
    const channel: FakeChannel = { id: snowflake(), name, kind: 'text' };
    guild.channels.set(channel.id, channel);
    return channel;
  }

  addVoiceChannel(guild: FakeGuild, name: string): FakeChannel {
    const channel: FakeChannel = { id: snowflake(), name, kind: 'voice' };
    guild.channels.set(channel.id, channel);
    return channel;
  }

  addRole(guild: FakeGuild, name: string, permissions = 0n): string {
    const id = snowflake();
    guild.roles.set(id, { id, name, permissions });
    if (this.ready)
      this.gateway.dispatch(GatewayDispatchEvents.GuildRoleCreate, {
        guild_id: guild.id,
        role: guild.rolesAPI().find((r) => r.id === id),
      });
    return id;
  }

  addMember(
    guild: FakeGuild,
    username: string,
    options: { roles?: string[]; admin?: boolean } = {},
  ): FakeMember {
    const user: APIUser = {
      id: snowflake(),
      username,
      discriminator: '0',
      global_name: username,
      avatar: null,
    };
    const member = new FakeMember(guild, user, options.roles ?? [], options.admin ?? false);
    guild.members.set(user.id, member);
    return member;
  }

  /** The member joins (or, with null, leaves) a voice channel; the bot is told. */
  setVoice(member: FakeMember, channel: FakeChannel | null): void {
    if (channel) member.guild.voiceStates.set(member.id, channel.id);
    else member.guild.voiceStates.delete(member.id);
    this.gateway.dispatch(GatewayDispatchEvents.VoiceStateUpdate, {
      ...voiceState(member.guild.id, channel?.id ?? null, member.id, `s-${member.id}`),
      member: { ...member.toAPI() },
    });
  }

  // --- gateway answers ------------------------------------------------------------------------------

  private identify(shard: Shard, session: string): void {
    const mine = [...this.guilds.values()].filter((g) => shardOfGuild(g.id, shard[1]) === shard[0]);
    this.gateway.dispatchTo(session, GatewayDispatchEvents.Ready, {
      v: 10,
      user: this.bot,
      guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session,
      resume_gateway_url: this.gateway.url,
      application: { id: this.applicationId, flags: 0 },
      shard,
    });
    for (const guild of mine)
      this.gateway.dispatchTo(session, GatewayDispatchEvents.GuildCreate, this.guildCreate(guild));
    this.ready = true;
    this.notify();
  }

  /** Discord's refusals of an IDENTIFY: too many guilds on one shard (4011), intents not allowed (4014). */
  private refuseIdentify(intents: number, shard: Shard): { code: number; reason: string } | null {
    if ((intents & ~this.allowedIntents) !== 0) return { code: 4014, reason: 'Disallowed intent(s).' };
    let onShard = 0;
    for (const id of this.guilds.keys()) if (shardOfGuild(id, shard[1]) === shard[0]) onShard += 1;
    if (onShard > this.maxGuildsPerShard) return { code: 4011, reason: 'Sharding required.' };
    return null;
  }

  private guildCreate(guild: FakeGuild) {
    return {
      id: guild.id,
      name: guild.name,
      owner_id: guild.ownerId,
      unavailable: false,
      member_count: guild.members.size + 1,
      channels: guild.channelsAPI(),
      roles: guild.rolesAPI(),
      members: [...guild.members.values()]
        .map((m) => m.toAPI())
        .concat([
          {
            user: this.bot,
            roles: [],
            joined_at: new Date(0).toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
          } as never,
        ]),
      voice_states: guild.voiceStatesAPI(),
      emojis: [],
      stickers: [],
      features: [],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      joined_at: new Date(0).toISOString(),
      large: false,
      afk_timeout: 300,
      preferred_locale: 'en-US',
      premium_tier: 0,
    };
  }

  private botVoiceUpdate(guildId: string, channelId: string | null): void {
    const guild = this.guilds.get(guildId);
    if (!guild) return;
    if (channelId) guild.voiceStates.set(this.bot.id, channelId);
    else guild.voiceStates.delete(this.bot.id);
    const session = `bot-voice-${guildId}`;
    this.gateway.dispatch(GatewayDispatchEvents.VoiceStateUpdate, {
      ...voiceState(guildId, channelId, this.bot.id, session),
      member: {
        user: this.bot,
        roles: [],
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
    });
    if (channelId) {
      this.gateway.dispatch(GatewayDispatchEvents.VoiceServerUpdate, {
        token: `voice-${guildId}`,
        guild_id: guildId,
        endpoint: this.voiceEndpoint,
      });
    }
    this.notify();
  }

  /** The bot's voice channel in a guild, or null. */
  botVoiceChannel(guild: FakeGuild): string | null {
    return guild.voiceStates.get(this.bot.id) ?? null;
  }

  // --- members doing things -------------------------------------------------------------------------

  /**
   * A member runs a slash command; resolves with what they see once the bot has answered (a reply,
   * or the edit that follows a deferral).
   */
  slash(
    member: FakeMember,
    name: string,
    options: Record<string, OptionValue> = {},
    channel?: FakeChannel,
  ): Promise<Seen> {
    const data = this.commandData(member.guild, name, options);
    return this.interact(member, InteractionType.ApplicationCommand, data, channel).done;
  }

  /**
   * Autocomplete while typing `focused` of a command (`'playlist load'` names a subcommand); resolves
   * with the choices.
   */
  autocomplete(
    member: FakeMember,
    name: string,
    focused: string,
    typed: string,
    others: Record<string, OptionValue> = {},
  ) {
    const data = this.commandData(member.guild, name, others);
    const [top, sub] = name.split(' ') as [string, string | undefined];
    const def = this.findCommand(member.guild, top);
    const holder = sub ? def?.options?.find((o) => o.name === sub) : def;
    const declared = holder && 'options' in holder ? holder.options : undefined;
    const type = declared?.find((o) => o.name === focused)?.type ?? ApplicationCommandOptionType.String;
    const option = { name: focused, type, value: typed, focused: true };
    // A subcommand's options go inside it, as Discord sends them.
    const into = sub ? (data.options as { options: object[] }[])[0]! : (data as { options: object[] });
    into.options = [...into.options, option];
    return this.interact(member, InteractionType.ApplicationCommandAutocomplete, data).done;
  }

  /**
   * A member presses a button on a message. As in Discord's client, only a button the message shows
   * can be pressed, and not a disabled one: anything else throws here, in the test.
   */
  clickButton(message: FakeMessage, member: FakeMember, customId: string): Promise<Seen> {
    const shown = this.messages.get(message.id);
    if (!shown) throw new Error(`message ${message.id} is gone: its buttons cannot be pressed`);
    const buttons = (
      shown.components as { components?: { custom_id?: string; disabled?: boolean }[] }[]
    ).flatMap((row) => row.components ?? []);
    const button = buttons.find((b) => b.custom_id === customId);
    if (!button)
      throw new Error(
        `message ${message.id} has no button ${customId} (it shows ${buttons.map((b) => b.custom_id).join(', ') || 'none'})`,
      );
    if (button.disabled) throw new Error(`button ${customId} is disabled`);
    return this.interact(
      member,
      InteractionType.MessageComponent,
      { custom_id: customId, component_type: 2 },
      undefined,
      message,
    ).done;
  }

  selectMenu(message: FakeMessage, member: FakeMember, customId: string, values: string[]): Promise<Seen> {
    return this.interact(
      member,
      InteractionType.MessageComponent,
      { custom_id: customId, component_type: 3, values },
      undefined,
      message,
    ).done;
  }

  /** Sends any interaction payload as is (for malformed-interaction tests). Resolves when answered. */
  rawInteraction(payload: Record<string, unknown>): PendingInteraction {
    const id = snowflake();
    const token = `itoken-${randomBytes(16).toString('hex')}`;
    const pending = new PendingInteraction(
      id,
      token,
      String(payload.guild_id ?? ''),
      String(payload.channel_id ?? ''),
    );
    const source = payload.message as { id?: unknown } | undefined;
    if (typeof source?.id === 'string') pending.sourceMessageId = source.id;
    this.interactions.set(token, pending);
    this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, {
      id,
      token,
      application_id: this.applicationId,
      version: 1,
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: {},
      ...payload,
    });
    return pending;
  }

  react(message: FakeMessage, member: FakeMember, emoji: string): void {
    this.setReaction(message, member.id, emoji, true, member);
  }

  unreact(message: FakeMessage, member: FakeMember, emoji: string): void {
    this.setReaction(message, member.id, emoji, false, member);
  }

  setReaction(message: FakeMessage, userId: string, emoji: string, on: boolean, member?: FakeMember): void {
    const users = message.reactions.get(emoji) ?? new Set<string>();
    message.reactions.set(emoji, users);
    if (on) users.add(userId);
    else users.delete(userId);
    const payload = {
      user_id: userId,
      channel_id: message.channelId,
      message_id: message.id,
      guild_id: message.guildId,
      emoji: { id: null, name: emoji },
      ...(on && member ? { member: member.toAPI(), burst: false, type: 0 } : { burst: false, type: 0 }),
    };
    this.gateway.dispatch(
      on ? GatewayDispatchEvents.MessageReactionAdd : GatewayDispatchEvents.MessageReactionRemove,
      payload,
    );
    this.notify();
  }

  // --- looking -------------------------------------------------------------------------------------

  /**
   * Someone deletes a message (a moderator tidying the channel). The bot has no message intent, so it
   * is not told; it finds out from Discord's 10008 Unknown Message when it next edits the message.
   */
  deleteMessage(message: FakeMessage): void {
    this.messages.delete(message.id);
    this.notify();
  }

  /** Public messages in a channel, oldest first. */
  messagesIn(channel: FakeChannel): FakeMessage[] {
    return [...this.messages.values()].filter(
      (m) => m.channelId === channel.id && !(m.flags & MessageFlags.Ephemeral),
    );
  }

  registeredCommands(guild?: FakeGuild): APIApplicationCommand[] {
    return this.commands.get(guild?.id ?? 'global') ?? [];
  }

  /** Resolves when `test` holds (checked after every change the bot makes). */
  waitFor(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Called by the REST routes and gateway after every change. */
  notify(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.test()) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  messageAPI(m: FakeMessage) {
    return messageAPI(m, this.bot.id);
  }

  channelOf(id: string): { guild: FakeGuild; channel: FakeChannel } | null {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.get(id);
      if (channel) return { guild, channel };
    }
    return null;
  }

  // --- internals ------------------------------------------------------------------------------------

  private findCommand(guild: FakeGuild, name: string): APIApplicationCommand | undefined {
    return (this.commands.get(guild.id) ?? [])
      .concat(this.commands.get('global') ?? [])
      .find((c) => c.name === name);
  }

  /** `name` may name a subcommand: `'overlay rotate'` sends the `rotate` subcommand of `/overlay`. */
  private commandData(
    guild: FakeGuild,
    name: string,
    options: Record<string, OptionValue>,
  ): Record<string, unknown> {
    const [top, sub] = name.split(' ') as [string, string | undefined];
    const def = this.findCommand(guild, top);
    const subDef = sub ? def?.options?.find((o) => o.name === sub) : undefined;
    const declaredOptions = (subDef && 'options' in subDef ? subDef.options : sub ? [] : def?.options) ?? [];
    const resolved: { roles?: Record<string, unknown>; attachments?: Record<string, unknown> } = {};
    const opts = Object.entries(options).map(([key, value]) => {
      const declared = declaredOptions.find((o) => o.name === key)?.type;
      const type =
        declared ??
        (typeof value === 'boolean'
          ? ApplicationCommandOptionType.Boolean
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? ApplicationCommandOptionType.Integer
              : ApplicationCommandOptionType.Number
            : ApplicationCommandOptionType.String);
      if (type === ApplicationCommandOptionType.Role) {
        resolved.roles ??= {};
        resolved.roles[String(value)] = guild.rolesAPI().find((r) => r.id === value);
      }
      if (type === ApplicationCommandOptionType.Attachment && typeof value === 'object') {
        const id = snowflake();
        const bytes = Buffer.from(value.content);
        const contentType = value.contentType ?? 'text/csv; charset=utf-8';
        const url = this.rest.attach(
          `/ephemeral-attachments/${this.bot.id}/${id}/${value.filename}`,
          bytes,
          contentType,
        );
        resolved.attachments ??= {};
        resolved.attachments[id] = {
          id,
          filename: value.filename,
          size: value.size ?? bytes.length,
          url,
          proxy_url: url,
          content_type: contentType,
          ephemeral: true,
        };
        return { name: key, type, value: id };
      }
      return { name: key, type, value };
    });
    return {
      id: def?.id ?? snowflake(),
      name: top,
      type: 1,
      options: sub ? [{ name: sub, type: ApplicationCommandOptionType.Subcommand, options: opts }] : opts,
      guild_id: guild.id,
      ...(resolved.roles || resolved.attachments ? { resolved } : {}),
    };
  }

  private interact(
    member: FakeMember,
    type: InteractionType,
    data: Record<string, unknown>,
    channel?: FakeChannel,
    message?: FakeMessage,
  ): PendingInteraction {
    const guild = member.guild;
    const inChannel =
      channel ??
      (message
        ? guild.channels.get(message.channelId)
        : [...guild.channels.values()].find((c) => c.kind === 'text'))!;
    return this.rawInteraction({
      type,
      guild_id: guild.id,
      channel_id: inChannel.id,
      channel: channelAPI(inChannel, guild.id),
      guild: { id: guild.id, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      member: { ...member.toAPI(), permissions: member.permissions() },
      app_permissions: member.guild.everyone.permissions.toString(),
      context: 0,
      data,
      ...(message ? { message: this.messageAPI(message) } : {}),
    });
  }

  /** Sends a dispatch as the gateway (for tests that need an event the helpers do not cover). */
  dispatch(t: string, d: unknown): void {
    this.gateway.dispatch(t, d);
  }
}

export { ChannelType };
