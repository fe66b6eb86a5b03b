import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { apiActor } from '../../../src/actions/actor.ts';
import type { Action } from '../../../src/actions/define.ts';
import { UserError } from '../../../src/core/errors.ts';
import { Fleet } from '../../../src/fleet/fleet.ts';
import { FleetRpc } from '../../../src/fleet/rpc.ts';
import { ShardOwnership } from '../../../src/fleet/shards.ts';
import { captureLogger } from '../../support/logs.ts';
import { dropNamespace, rawRedis, uniqueNamespace } from '../../support/redis.ts';

const redis = rawRedis();
const namespaces: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
afterAll(async () => {
  for (const ns of namespaces) await dropNamespace(redis, ns);
  redis.disconnect();
});

const guildOn = (shard: number, count: number, n = 1) => String(BigInt(shard + count * n) << 22n);

/** A tiny action table, as src/actions builds them: it says where it ran. */
function actionsOf(processName: string, calls: string[]) {
  const act = <I, O>(run: (call: { guildId: string }, input: I) => Promise<O>): Action<I, O> =>
    Object.assign(run, { permission: 'everyone' as const }) as unknown as Action<I, O>;
  return {
    skip: act<void, { ranIn: string; guildId: string }>(async (call) => {
      calls.push(`${processName}:skip:${call.guildId}`);
      return { ranIn: processName, guildId: call.guildId };
    }),
    seek: act<{ positionMs: number }, number>(async (_call, input) => {
      if (input.positionMs < 0) throw new UserError('INVALID_INPUT', 'A position is never negative.');
      return input.positionMs;
    }),
    hang: act<void, never>(() => new Promise<never>(() => {})),
    crash: act<void, never>(async () => {
      throw new Error('a bug in the owner');
    }),
  };
}

function newRpc(namespace: string, timeoutMs?: number) {
  const rpc = new FleetRpc({
    redis,
    namespace,
    logger: captureLogger().logger,
    timeoutMs,
    answerTimeoutMs: timeoutMs,
  });
  closers.push(() => rpc.close());
  return rpc;
}

function setup(timeoutMs?: number) {
  const namespace = uniqueNamespace('umfleet');
  namespaces.push(namespace);
  const calls: string[] = [];
  const owner = new Fleet(newRpc(namespace, timeoutMs), new ShardOwnership(4, [0, 1]));
  const api = new Fleet(newRpc(namespace, timeoutMs), null);
  const ownerActions = actionsOf('owner', calls);
  const apiActions = api.route('playback', actionsOf('api', calls), ['skip', 'seek', 'hang', 'crash']);
  return { owner, api, ownerActions, apiActions, calls };
}

const call = (guildId: string) => ({ guildId, actor: apiActor('7') });

describe('Fleet over Redis', () => {
  it('runs locally while no bot process has registered a fleet', async () => {
    const { apiActions, calls } = setup();
    expect(await apiActions.skip(call(guildOn(0, 4)), undefined)).toEqual({
      ranIn: 'api',
      guildId: guildOn(0, 4),
    });
    expect(calls).toEqual([`api:skip:${guildOn(0, 4)}`]);
  });

  it('routes to the owner as soon as a bot registers, even right after a "no bots yet" answer', async () => {
    const namespace = uniqueNamespace('umfleet');
    namespaces.push(namespace);
    const calls: string[] = [];
    // The API process's clock stands still: whatever it caches stays fresh for the whole test.
    const api = new Fleet(newRpc(namespace), null, () => 1_000_000);
    const apiActions = api.route('playback', actionsOf('api', calls), ['skip']);
    const guild = guildOn(3, 4);
    // Started before the bots: no fleet yet, so the guild's actions run here.
    expect(await api.hasBots()).toBe(false);
    expect(await apiActions.skip(call(guild), undefined)).toMatchObject({ ranIn: 'api' });
    const owner = new Fleet(newRpc(namespace), new ShardOwnership(4, [2, 3]));
    await owner.serve({ playback: actionsOf('owner', calls) });
    expect(await api.hasBots()).toBe(true);
    expect(await apiActions.skip(call(guild), undefined)).toMatchObject({ ranIn: 'owner' });
    expect(calls).toEqual([`api:skip:${guild}`, `owner:skip:${guild}`]);
  });

  it("sends an action to the guild's owner and returns its answer, errors included", async () => {
    const { owner, ownerActions, apiActions, calls } = setup();
    await owner.serve({ playback: ownerActions });
    const guild = guildOn(1, 4, 3);
    expect(await apiActions.skip(call(guild), undefined)).toEqual({ ranIn: 'owner', guildId: guild });
    expect(calls).toEqual([`owner:skip:${guild}`]);
    expect(await apiActions.seek(call(guild), { positionMs: 1500 })).toBe(1500);
    const refused = await apiActions.seek(call(guild), { positionMs: -1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', message: 'A position is never negative.' });
    const crashed = await apiActions.crash(call(guild), undefined).catch((e: unknown) => e);
    expect(crashed).toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('answers BOT_UNAVAILABLE at once for a shard nobody runs, and in time for an owner that hangs', async () => {
    const { owner, ownerActions, apiActions } = setup(500);
    await owner.serve({ playback: ownerActions });
    const orphan = await apiActions.skip(call(guildOn(2, 4)), undefined).catch((e: unknown) => e);
    expect(orphan).toMatchObject({
      code: 'BOT_UNAVAILABLE',
      details: { retry_after_seconds: 5, reason: 'no-owner' },
    });
    expect((orphan as Error).message).toMatch(/no process runs its shard/);
    // The owner took the request but its action never ends.
    const hung = await apiActions.hang(call(guildOn(0, 4)), undefined).catch((e: unknown) => e);
    expect(hung).toMatchObject({ code: 'BOT_UNAVAILABLE', details: { reason: 'no-answer' } });
    expect((hung as Error).message).toMatch(/no answer within 0.5 s/);
  });

  it('answers BOT_UNAVAILABLE when the process running the shard never takes the request', async () => {
    const namespace = uniqueNamespace('umfleet');
    namespaces.push(namespace);
    // A stalled owner: subscribed to shard 0's channel, never answering (as a process stopped with SIGSTOP).
    const stalled = redis.duplicate();
    closers.push(async () => void stalled.disconnect());
    await stalled.ssubscribe(`${namespace}:fleet:{shard-0}`);
    const rpc = newRpc(namespace, 500);
    const err = await rpc.call(1, guildOn(0, 1), 'playback.skip', apiActor(), null).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BOT_UNAVAILABLE', details: { reason: 'no-ack' } });
    expect((err as Error).message).toMatch(/did not take the request within 0.5 s/);
  });

  it('answers BOT_UNAVAILABLE once the owner has stopped, and uses the fallback when one is given', async () => {
    const namespace = uniqueNamespace('umfleet');
    namespaces.push(namespace);
    const ownerRpc = new FleetRpc({ redis, namespace, logger: captureLogger().logger });
    const owner = new Fleet(ownerRpc, new ShardOwnership(2, [0, 1]));
    const api = new Fleet(newRpc(namespace), null);
    await owner.serve({ playback: actionsOf('owner', []) });
    const local = actionsOf('api', []);
    const guild = guildOn(1, 2);
    expect(await api.run('playback.skip', call(guild), undefined, local.skip)).toMatchObject({
      ranIn: 'owner',
    });
    await ownerRpc.close();
    const gone = await api.run('playback.skip', call(guild), undefined, local.skip).catch((e: unknown) => e);
    expect(gone).toMatchObject({ code: 'BOT_UNAVAILABLE' });
    expect(await api.run('playback.skip', call(guild), undefined, local.skip, local.skip)).toMatchObject({
      ranIn: 'api',
    });
  });

  it('refuses a request for a guild the process does not own, or an action it does not know', async () => {
    const namespace = uniqueNamespace('umfleet');
    namespaces.push(namespace);
    const owner = new Fleet(newRpc(namespace), new ShardOwnership(2, [0]));
    await owner.serve({ playback: actionsOf('owner', []) });
    const rpc = newRpc(namespace);
    // A caller that believes in 1 shard sends a guild of shard 1 (of 2) to shard 0's channel.
    const wrong = await rpc
      .call(1, guildOn(1, 2), 'playback.skip', apiActor(), null)
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'BOT_UNAVAILABLE' });
    expect((wrong as Error).message).toMatch(/wrong process/);
    const unknown = await rpc
      .call(2, guildOn(0, 2), 'playback.toString', apiActor(), null)
      .catch((e: unknown) => e);
    expect((unknown as Error).message).toMatch(/does not know playback.toString/);
  });

  it('a process that runs every shard runs everything locally', async () => {
    const namespace = uniqueNamespace('umfleet');
    namespaces.push(namespace);
    const calls: string[] = [];
    const whole = new Fleet(newRpc(namespace), new ShardOwnership(1, [0]));
    const routed = whole.route('playback', actionsOf('whole', calls), ['skip']);
    expect(await routed.skip(call(guildOn(0, 1)), undefined)).toMatchObject({ ranIn: 'whole' });
    expect(await whole.isLocal(guildOn(0, 1))).toBe(true);
  });
});
