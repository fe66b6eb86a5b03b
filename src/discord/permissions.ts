import { type GuildMember, PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import { UserError } from '../core/errors.ts';

/** Who a member is to the bot; built once per interaction from the discord.js member. */
export interface Member {
  userId: string;
  displayName: string;
  isAdmin: boolean;
  isDj: boolean;
  voiceChannelId: string | null;
}

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
  };
}

export function requireAdmin(member: Member): void {
  if (!member.isAdmin) {
    throw new UserError('FORBIDDEN', 'Only server admins (Manage Server permission) can do that.');
  }
}

export function requireDj(member: Member, djRoleId: string | null): void {
  if (!member.isDj) {
    throw new UserError(
      'FORBIDDEN',
      djRoleId
        ? `Only DJs (the <@&${djRoleId}> role) or admins can do that.`
        : 'Only admins can do that until an admin sets a DJ role with /settings.',
    );
  }
}

/** Requesters may remove their own songs; DJs and admins may remove any. */
export function requireOwnerOrDj(member: Member, requestedBy: string): void {
  if (member.userId !== requestedBy && !member.isDj) {
    throw new UserError('FORBIDDEN', 'You can only remove songs you asked for (DJs can remove any).');
  }
}

export function requireVoice(member: Member): string {
  if (!member.voiceChannelId) {
    throw new UserError('NOT_IN_VOICE', 'Join a voice channel first, then try again.');
  }
  return member.voiceChannelId;
}
