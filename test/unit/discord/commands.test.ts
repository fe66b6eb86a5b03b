import { readFileSync, writeFileSync } from 'node:fs';
import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';

const FIXTURE = new URL('../../fixtures/commands.json', import.meta.url);

describe('slash command definitions', () => {
  it('match the pinned registration payload (regenerate with UPDATE_FIXTURES=1 and review the diff)', () => {
    const payload = JSON.stringify(
      commands.map((c) => c.data),
      null,
      2,
    );
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(FIXTURE, `${payload}\n`);
    expect(`${payload}\n`).toBe(readFileSync(FIXTURE, 'utf8'));
  });

  it('are the commands the issues name, each with a description, and unique', () => {
    const names = commands.map((c) => c.data.name);
    expect(names).toEqual([
      'play',
      'queue',
      'vote',
      'unvote',
      'skip',
      'pause',
      'resume',
      'stop',
      'nowplaying',
      'panel',
      'lyrics',
      'seek',
      'volume',
      'filter',
      'eq',
      'loop',
      'remove',
      'clear',
      'move',
      'shuffle',
      'history',
      'playlist',
      'stats',
      'settings',
      'blocklist',
      'mode',
      'radio',
      'overlay',
      'spotify',
      'twitch',
    ]);
    for (const c of commands) {
      expect(c.data.description.length).toBeGreaterThan(10);
      for (const o of c.data.options ?? [])
        expect(o.description.length, `${c.data.name} ${o.name}`).toBeGreaterThan(3);
    }
  });

  it('offer autocomplete on every item option, and the command handles it', () => {
    for (const c of commands) {
      for (const o of c.data.options ?? []) {
        if (o.name === 'item') {
          expect(o.type).toBe(ApplicationCommandOptionType.String);
          expect('autocomplete' in o && o.autocomplete, `${c.data.name} item`).toBe(true);
          expect(c.autocomplete, c.data.name).toBeTypeOf('function');
        }
      }
    }
  });
});
