import { describe, expect, it } from 'vitest';
import {
  chatCommandsSchema,
  DEFAULT_CHAT_COMMANDS,
  twitchChannelSchema,
} from '../../../src/storage/db/twitch-links.ts';
import { viewerActor } from '../../../src/twitch/chat-commands.ts';
import { CHAT_MAX_CHARS, chatReply, cleanChatText, parseChatCommand } from '../../../src/twitch/chat-text.ts';
import { viewerOf } from '../../../src/twitch/connection.ts';

const words = { ...DEFAULT_CHAT_COMMANDS };

describe('chat command parsing', () => {
  it('reads each command, case-insensitively, with its argument', () => {
    expect(parseChatCommand('!sr  never gonna  give', words)).toEqual({
      kind: 'request',
      query: 'never gonna give',
    });
    expect(parseChatCommand('!SR https://youtu.be/x', words)).toEqual({
      kind: 'request',
      query: 'https://youtu.be/x',
    });
    expect(parseChatCommand('!voteup 3 please', words)).toEqual({ kind: 'vote', direction: 1, item: '3' });
    expect(parseChatCommand('!votedown 2', words)).toEqual({ kind: 'vote', direction: -1, item: '2' });
    expect(parseChatCommand('!song', words)).toEqual({ kind: 'song' });
    expect(parseChatCommand('!queue', words)).toEqual({ kind: 'queue' });
  });

  it('leaves ordinary chat and unknown commands alone', () => {
    expect(parseChatCommand('hello !sr', words)).toBeNull();
    expect(parseChatCommand('!dice', words)).toBeNull();
    expect(parseChatCommand('!', words)).toBeNull();
    expect(parseChatCommand('', words)).toBeNull();
  });

  it("uses the guild's own words", () => {
    const own = { ...words, request: 'request' };
    expect(parseChatCommand('!request x', own)).toEqual({ kind: 'request', query: 'x' });
    expect(parseChatCommand('!sr x', own)).toBeNull();
  });

  it('takes exactly 500 characters and answers one more as too long', () => {
    const at = `!sr ${'a'.repeat(CHAT_MAX_CHARS - 4)}`;
    expect(parseChatCommand(at, words)).toMatchObject({ kind: 'request' });
    expect(parseChatCommand(`${at}a`, words)).toEqual({ kind: 'too-long', command: 'sr' });
    // Characters, not UTF-16 units: 500 emoji are 500 characters.
    expect(parseChatCommand(`!sr ${'🎵'.repeat(CHAT_MAX_CHARS - 4)}`, words)).toMatchObject({
      kind: 'request',
    });
  });

  it('strips control, bidi and tag characters', () => {
    expect(cleanChatText('a\u0000b\r\nc\u202ed\u2066e\u{e0000}f\u0007')).toBe('a b c d e f');
    expect(parseChatCommand('!sr \u0001Daft\u0007Punk\r\nPRIVMSG #x :hi', words)).toEqual({
      kind: 'request',
      query: 'Daft Punk PRIVMSG #x :hi',
    });
  });
});

describe('chat replies', () => {
  it('address the viewer, say Discord markup in words, and never hold CR or LF', () => {
    expect(
      chatReply('Alice', 'Only DJs (the <@&123456789012345678> role) can do that.\r\nPRIVMSG #x :y'),
    ).toBe('@Alice Only DJs (a Discord role) can do that. PRIVMSG #x :y');
    expect(chatReply('Bob', 'Now playing **Song**')).toBe('@Bob Now playing Song');
  });

  it('are cut to 500 characters', () => {
    const reply = chatReply('Alice', 'x'.repeat(1000));
    expect([...reply]).toHaveLength(CHAT_MAX_CHARS);
    expect(reply.endsWith('…')).toBe(true);
  });
});

describe('viewers from IRC tags', () => {
  it('moderators and the broadcaster are DJs; others are not; ids are namespaced', () => {
    const mod = viewerOf({ 'user-id': '42', 'display-name': 'Mod', mod: true, badges: { moderator: '1' } })!;
    const caster = viewerOf({
      'user-id': '43',
      'display-name': 'Caster',
      mod: false,
      badges: { broadcaster: '1' },
    })!;
    const plain = viewerOf({
      'user-id': '44',
      'display-name': '',
      username: 'plain',
      mod: false,
      badges: null as never,
    })!;
    expect(viewerActor(mod)).toMatchObject({
      userId: 'twitch:42',
      isDj: true,
      isAdmin: false,
      source: 'twitch',
    });
    expect(viewerActor(caster).isDj).toBe(true);
    expect(viewerActor(plain)).toMatchObject({ userId: 'twitch:44', displayName: 'plain', isDj: false });
  });

  it('a message without a numeric user-id is nobody (ignored)', () => {
    expect(viewerOf({ 'display-name': 'x' })).toBeNull();
    expect(viewerOf({ 'user-id': 'abc' })).toBeNull();
  });
});

describe('link settings', () => {
  it('channel names are lowercased and checked', () => {
    expect(twitchChannelSchema.parse('#Streamer_One')).toBe('streamer_one');
    expect(twitchChannelSchema.safeParse('two words').success).toBe(false);
    expect(twitchChannelSchema.safeParse('x'.repeat(26)).success).toBe(false);
  });

  it('command words default one by one and may not repeat', () => {
    expect(chatCommandsSchema.parse({ request: 'req' })).toEqual({
      ...DEFAULT_CHAT_COMMANDS,
      request: 'req',
    });
    expect(chatCommandsSchema.safeParse({ request: 'song' }).success).toBe(false);
    expect(chatCommandsSchema.safeParse({ request: '!sr' }).success).toBe(false);
  });
});
