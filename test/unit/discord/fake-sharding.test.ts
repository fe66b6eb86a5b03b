import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeDiscord } from '../../fakes/discord/index.ts';

/** A raw gateway client: HELLO, then our IDENTIFY; collects dispatches until the socket closes. */
async function identify(discord: FakeDiscord, d: Record<string, unknown>) {
  const ws = new WebSocket(discord.gateway.url);
  const events: { t: string; d: Record<string, unknown> }[] = [];
  const ops: number[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (raw) => {
    const payload = JSON.parse(String(raw)) as { op: number; t: string; d: Record<string, unknown> };
    ops.push(payload.op);
    if (payload.op === 0) events.push({ t: payload.t, d: payload.d });
  });
  await once(ws, 'open');
  ws.send(JSON.stringify({ op: 2, d: { token: discord.token, properties: {}, ...d } }));
  return { ws, events, ops, closed };
}

/** The fake gateway shards as Discord does (../../../shared/protocols/discord-fake.md, "Sharding"). */
describe('the fake Discord gateway shards as Discord does', () => {
  let discord: FakeDiscord;
  beforeEach(async () => {
    discord = await FakeDiscord.start();
  });
  afterEach(async () => {
    await discord.stop();
  });

  it("sends a shard's session only its guilds: READY, GUILD_CREATE, and later events", async () => {
    const guilds = [0, 1, 0, 1].map((shard, i) => discord.createGuild(`G${i}`, true, { shard: [shard, 2] }));
    discord.gateway.maxConcurrency = 2; // both shards may identify at once
    const zero = await identify(discord, { intents: 1, shard: [0, 2] });
    const one = await identify(discord, { intents: 1, shard: [1, 2] });
    await expect.poll(() => zero.events.length >= 3 && one.events.length >= 3).toBe(true);
    const guildsOf = (events: typeof zero.events) =>
      events.filter((e) => e.t === 'GUILD_CREATE').map((e) => e.d.id);
    expect(guildsOf(zero.events)).toEqual([guilds[0]!.id, guilds[2]!.id]);
    expect(guildsOf(one.events)).toEqual([guilds[1]!.id, guilds[3]!.id]);
    expect(zero.events[0]).toMatchObject({ t: 'READY', d: { shard: [0, 2] } });
    // A guild event later goes to its shard's session alone.
    discord.dispatch('GUILD_ROLE_DELETE', { guild_id: guilds[3]!.id, role_id: '1' });
    await expect.poll(() => one.events.at(-1)?.t).toBe('GUILD_ROLE_DELETE');
    expect(one.events.at(-1)).toMatchObject({ t: 'GUILD_ROLE_DELETE' });
    expect(zero.events.some((e) => e.t === 'GUILD_ROLE_DELETE')).toBe(false);
    expect(discord.gateway.connectedShards).toEqual(['0/2', '1/2']);
    zero.ws.close();
    one.ws.close();
  });

  it('closes with 4011 when one shard would hold more guilds than allowed', async () => {
    discord.maxGuildsPerShard = 2;
    // Their ids put two in shard 0 and one in shard 1 of two: one shard alone would hold three.
    for (const shard of [0, 1, 0]) discord.createGuild(`G${shard}`, true, { shard: [shard, 2] });
    const { closed } = await identify(discord, { intents: 1, shard: [0, 1] });
    expect(await closed).toBe(4011);
    // Two shards hold them: accepted.
    const ok = await identify(discord, { intents: 1, shard: [0, 2] });
    await expect.poll(() => ok.events.some((e) => e.t === 'READY')).toBe(true);
    ok.ws.close();
  });

  it('closes with 4014 for a disallowed intent and 4010 for a shard that does not exist', async () => {
    discord.allowedIntents = 0b1;
    expect(await (await identify(discord, { intents: 0b11, shard: [0, 1] })).closed).toBe(4014);
    expect(await (await identify(discord, { intents: 1, shard: [2, 2] })).closed).toBe(4010);
  });

  it('refuses an IDENTIFY that comes sooner than its max_concurrency bucket allows (op 9), and records it', async () => {
    discord.gateway.maxConcurrency = 2;
    const a = await identify(discord, { intents: 1, shard: [0, 4] });
    const b = await identify(discord, { intents: 1, shard: [1, 4] });
    await expect.poll(() => a.events.length > 0 && b.events.length > 0).toBe(true);
    expect(discord.gateway.identifyTooSoon).toEqual([]);
    // Shard 2 shares shard 0's bucket (2 % 2 = 0 % 2): within 5 s it gets Invalid Session, no session.
    const c = await identify(discord, { intents: 1, shard: [2, 4] });
    await expect.poll(() => c.ops.includes(9)).toBe(true);
    expect(c.events).toEqual([]);
    expect(discord.gateway.identifyTooSoon).toEqual([[2, 4]]);
    expect(discord.gateway.connectedShards).toEqual(['0/4', '1/4']);
    for (const s of [a, b, c]) s.ws.close();
  });
});
