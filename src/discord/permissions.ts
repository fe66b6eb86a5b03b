import { type GuildMember, PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import type { Actor } from '../actions/index.ts';

/** Who a member is to the bot: the actor the actions check permissions on. */
export type Member = Actor;

/**
 * Admin = Manage Server permission. DJ = the guild's DJ role, or admin; with no DJ role configured,
 * DJ-only actions are admin-only.
 */
export function describeMember(
  member: GuildMember,
  djRoleId: string | null,
  permissions: Readonly<PermissionsBitField> | null,
): Member {
  // The interaction carries the member's permissions as Discord computed them; prefer them to the cache.
  const isAdmin = (permissions ?? member.permissions).has(PermissionFlagsBits.ManageGuild);
  const isDj = isAdmin || (djRoleId !== null && member.roles.cache.has(djRoleId));
  return {
    userId: member.id,
    displayName: member.displayName,
    isAdmin,
    isDj,
    voiceChannelId: member.voice.channelId ?? null,
    roleIds: [...member.roles.cache.keys()],
  };
}
