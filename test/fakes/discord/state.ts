import type {
  APIChannel,
  APIEmbed,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  GatewayVoiceState,
  GuildMemberFlags,
  RoleFlags,
} from 'discord-api-types/v10';
import { ChannelType, MessageType, PermissionFlagsBits } from 'discord-api-types/v10';
import { snowflake } from './snowflake.ts';

/** Permissions every member has through @everyone: enough to use a music bot. */
export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.UseApplicationCommands;

export interface FakeChannel {
  id: string;
  name: string;
  kind: 'text' | 'voice';
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: bigint;
}

/** A message in a channel, as the fake keeps it. */
export interface FakeMessage {
  id: string;
  channelId: string;
  guildId: string;
  author: APIUser;
  content: string;
  embeds: APIEmbed[];
  components: unknown[];
  flags: number;
  timestamp: string;
  editedTimestamp: string | null;
  /** emoji name -> user ids who reacted */
  reactions: Map<string, Set<string>>;
  /** Set for a message that answers an interaction. */
  interactionId: string | null;
}

export class FakeMember {
  readonly user: APIUser;
  readonly guild: FakeGuild;
  roles: string[];
  readonly admin: boolean;

  constructor(guild: FakeGuild, user: APIUser, roles: string[], admin: boolean) {
    this.guild = guild;
    this.user = user;
    this.roles = roles;
    this.admin = admin;
  }

  get id(): string {
    return this.user.id;
  }

  get voiceChannelId(): string | null {
    return this.guild.voiceStates.get(this.id) ?? null;
  }

  /** Effective guild-level permissions, as a decimal string. */
  permissions(): string {
    let bits = this.guild.everyone.permissions;
    for (const id of this.roles) bits |= this.guild.roles.get(id)?.permissions ?? 0n;
    if (this.admin) bits |= PermissionFlagsBits.Administrator | PermissionFlagsBits.ManageGuild;
    if (bits & PermissionFlagsBits.Administrator) bits = (1n << 50n) - 1n;
    return bits.toString();
  }

  toAPI(): APIGuildMember {
    return {
      user: this.user,
      roles: this.roles,
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
    };
  }
}

export class FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly channels = new Map<string, FakeChannel>();
  readonly roles = new Map<string, FakeRole>();
  readonly members = new Map<string, FakeMember>();
  /** user id -> voice channel id */
  readonly voiceStates = new Map<string, string>();
  readonly everyone: FakeRole;
  readonly ownerId: string;

  constructor(name: string, ownerId: string, id: string = snowflake()) {
    this.id = id;
    this.name = name;
    this.ownerId = ownerId;
    this.everyone = { id: this.id, name: '@everyone', permissions: EVERYONE_PERMISSIONS };
    this.roles.set(this.id, this.everyone);
  }

  channelsAPI(): APIChannel[] {
    return [...this.channels.values()].map((c) => channelAPI(c, this.id));
  }

  rolesAPI(): APIRole[] {
    return [...this.roles.values()].map((r, position) => ({
      id: r.id,
      name: r.name,
      permissions: r.permissions.toString(),
      position,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    }));
  }

  voiceStatesAPI(): GatewayVoiceState[] {
    return [...this.voiceStates.entries()].map(([userId, channelId]) =>
      voiceState(this.id, channelId, userId, 'session'),
    );
  }
}

export function channelAPI(c: FakeChannel, guildId: string): APIChannel {
  return (
    c.kind === 'voice'
      ? {
          id: c.id,
          type: ChannelType.GuildVoice,
          name: c.name,
          guild_id: guildId,
          bitrate: 64000,
          user_limit: 0,
          position: 0,
          permission_overwrites: [],
          rtc_region: null,
          nsfw: false,
          parent_id: null,
        }
      : {
          id: c.id,
          type: ChannelType.GuildText,
          name: c.name,
          guild_id: guildId,
          position: 0,
          permission_overwrites: [],
          nsfw: false,
          parent_id: null,
          topic: null,
          last_message_id: null,
          rate_limit_per_user: 0,
        }
  ) as APIChannel;
}

export function voiceState(
  guildId: string,
  channelId: string | null,
  userId: string,
  sessionId: string,
): GatewayVoiceState {
  return {
    guild_id: guildId,
    channel_id: channelId,
    user_id: userId,
    session_id: sessionId,
    deaf: false,
    mute: false,
    self_deaf: false,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  } as GatewayVoiceState;
}

export function messageAPI(m: FakeMessage, botId: string): APIMessage {
  return {
    id: m.id,
    channel_id: m.channelId,
    guild_id: m.guildId,
    author: m.author,
    content: m.content,
    timestamp: m.timestamp,
    edited_timestamp: m.editedTimestamp,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: m.embeds,
    pinned: false,
    type: m.interactionId ? MessageType.ChatInputCommand : MessageType.Default,
    flags: m.flags,
    components: m.components,
    reactions: [...m.reactions.entries()]
      .filter(([, users]) => users.size > 0)
      .map(([name, users]) => ({
        emoji: { id: null, name },
        count: users.size,
        count_details: { burst: 0, normal: users.size },
        me: users.has(botId),
        me_burst: false,
        burst_colors: [],
      })),
  } as APIMessage;
}
