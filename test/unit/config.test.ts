import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, envSchema, loadConfig } from '../../src/config/index.ts';

function error(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.redis).toEqual({
      url: undefined,
      cluster: null,
      namespace: 'music_queue',
      waitReplicas: 0,
      waitTimeoutMs: 500,
    });
    expect(config.discord).toMatchObject({ shardCount: 'auto', shardIds: undefined });
    expect(config.database).toEqual({ url: undefined, pgliteDataDir: './data/pglite' });
    expect(config.queue).toEqual({ maxLength: 500, maxPerUser: 10, ttlSeconds: 86_400, historyLimit: 200 });
  });

  it('reads the shard settings and Redis Cluster nodes, and refuses malformed ones', () => {
    const config = loadConfig({
      SHARD_COUNT: '8',
      SHARD_IDS: '0-3, 6',
      REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-b.internal:7001',
    });
    expect(config.discord).toMatchObject({ shardCount: 8, shardIds: '0-3, 6' });
    expect(config.redis.cluster).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
    ]);
    expect(() => loadConfig({ SHARD_COUNT: '0' })).toThrow(/SHARD_COUNT/);
    expect(() => loadConfig({ SHARD_IDS: '0-' })).toThrow(/SHARD_IDS/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis-a' })).toThrow(/REDIS_CLUSTER_NODES/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ REDIS_URL: '', QUEUE_MAX_LENGTH: '' }).queue.maxLength).toBe(500);
  });

  it('reads numbers and URLs', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      QUEUE_MAX_PER_USER: '3',
      QUEUE_TTL_HOURS: '2',
    });
    expect(config.redis.url).toBe('redis://127.0.0.1:6379/2');
    expect(config.queue.maxPerUser).toBe(3);
    expect(config.queue.ttlSeconds).toBe(7200);
    expect(loadConfig({}).playback.panelRefreshMs).toBe(15_000);
    expect(loadConfig({ PANEL_REFRESH_SECONDS: '20' }).playback.panelRefreshMs).toBe(20_000);
  });

  it('names each bad variable and what is wrong with it', () => {
    const message = error({ REDIS_URL: 'http://nope', QUEUE_MAX_LENGTH: 'lots', LOG_LEVEL: 'loud' });
    expect(message).toMatch(/REDIS_URL: must be a URL starting with redis:\/\/ or rediss:\/\/$/m);
    expect(message).toMatch(/QUEUE_MAX_LENGTH: /);
    expect(message).toMatch(/LOG_LEVEL:/);
  });

  it('never prints the value of a setting, only its name and the rule', () => {
    const secrets = {
      API_TOKEN: 'hunter2-short',
      REDIS_URL: 'http://:redis-pass-9876@cache.lan:6379',
      DATABASE_URL: 'mysql://app:db-pass-5432@db.lan/music',
      SPOTIFY_CLIENT_ID: 'a'.repeat(32),
      SPOTIFY_CLIENT_SECRET: 'spot',
      TOKEN_ENCRYPTION_KEY: 'tok-key-that-is-not-base64!!',
      YOUTUBE_COOKIE: `SID=cookie-secret-${'x'.repeat(20_000)}`,
      DISCORD_TOKEN: 'disc-tok',
      MEDIA_ALLOWLIST: 'secret-lan-host!',
    };
    const first = error(secrets);
    for (const name of [
      'API_TOKEN',
      'REDIS_URL',
      'DATABASE_URL',
      'SPOTIFY_CLIENT_SECRET',
      'YOUTUBE_COOKIE',
    ]) {
      expect(first).toContain(`${name}:`);
    }
    const later = [
      error({ MEDIA_ALLOWLIST: secrets.MEDIA_ALLOWLIST }),
      error({
        SPOTIFY_CLIENT_ID: secrets.SPOTIFY_CLIENT_ID,
        TOKEN_ENCRYPTION_KEY: secrets.TOKEN_ENCRYPTION_KEY,
      }),
      error({ SPOTIFY_CLIENT_ID: secrets.SPOTIFY_CLIENT_ID, TOKEN_ENCRYPTION_KEY: 'YWJjZA' }),
    ];
    for (const message of [first, ...later]) {
      for (const secret of [
        'hunter2',
        'redis-pass',
        'db-pass',
        'spot"',
        'cookie-secret',
        'disc-tok',
        'secret-lan',
        'tok-key',
        'YWJjZA',
      ]) {
        expect(message).not.toContain(secret);
      }
    }
  });

  it('refuses out-of-range limits and a bad namespace', () => {
    expect(error({ QUEUE_MAX_LENGTH: '0' })).toMatch(/QUEUE_MAX_LENGTH/);
    expect(error({ QUEUE_HISTORY_LIMIT: '2.5' })).toMatch(/QUEUE_HISTORY_LIMIT/);
    expect(error({ REDIS_NAMESPACE: 'a b' })).toMatch(/REDIS_NAMESPACE/);
    expect(error({ DATABASE_URL: 'mysql://x' })).toMatch(/DATABASE_URL/);
    // Faster than every 5 s would spend the channel's 5 edits per 5 s on the panel alone.
    expect(error({ PANEL_REFRESH_SECONDS: '1' })).toMatch(/PANEL_REFRESH_SECONDS/);
  });

  it('turns Spotify on only with a client id, and then needs a 32-byte token key', () => {
    expect(loadConfig({}).spotify).toBeNull();
    const id = 'a'.repeat(32);
    expect(error({ SPOTIFY_CLIENT_ID: id })).toMatch(
      /TOKEN_ENCRYPTION_KEY: required when SPOTIFY_CLIENT_ID is set/,
    );
    expect(error({ SPOTIFY_CLIENT_ID: id, TOKEN_ENCRYPTION_KEY: 'abcd' })).toMatch(
      /TOKEN_ENCRYPTION_KEY must be 32 bytes/,
    );
    const key = 'ab'.repeat(32);
    const spotify = loadConfig({
      SPOTIFY_CLIENT_ID: id,
      TOKEN_ENCRYPTION_KEY: key,
      PUBLIC_URL: 'https://m.example/',
    }).spotify;
    expect(spotify).toMatchObject({
      clientId: id,
      clientSecret: undefined,
      redirectUri: 'https://m.example/auth/spotify/callback',
      accountsUrl: 'https://accounts.spotify.com',
      apiUrl: 'https://api.spotify.com/v1',
      pollIntervalMs: 3_000,
    });
    expect(
      loadConfig({ SPOTIFY_CLIENT_ID: id, TOKEN_ENCRYPTION_KEY: key, SPOTIFY_POLL_SECONDS: '1' }).spotify
        ?.pollIntervalMs,
    ).toBe(1_000);
    expect(error({ SPOTIFY_POLL_SECONDS: '0' })).toMatch(/SPOTIFY_POLL_SECONDS/);
    expect(spotify?.tokenEncryptionKey.length).toBe(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig({ SPOTIFY_CLIENT_ID: id, TOKEN_ENCRYPTION_KEY: b64 }).spotify?.tokenEncryptionKey,
    ).toEqual(Buffer.alloc(32, 7));
  });

  it('turns Twitch chat requests on only with both the bot account and its token', () => {
    expect(loadConfig({}).twitch).toBeNull();
    const token = 'abcdefghijklmnopqrstuvwxyz0123';
    expect(loadConfig({ TWITCH_USERNAME: 'Um_Bot', TWITCH_OAUTH_TOKEN: `oauth:${token}` }).twitch).toEqual({
      username: 'um_bot',
      token,
      chatUrl: 'wss://irc-ws.chat.twitch.tv:443',
    });
    expect(() => loadConfig({ TWITCH_USERNAME: 'um_bot' })).toThrow(/TWITCH_USERNAME and TWITCH_OAUTH_TOKEN/);
    expect(() => loadConfig({ TWITCH_OAUTH_TOKEN: token })).toThrow(/set both/);
    expect(() => loadConfig({ TWITCH_USERNAME: 'um bot', TWITCH_OAUTH_TOKEN: token })).toThrow(
      /TWITCH_USERNAME/,
    );
    expect(() => loadConfig({ TWITCH_CHAT_URL: 'https://irc-ws.chat.twitch.tv' })).toThrow(/TWITCH_CHAT_URL/);
    const leaked = (() => {
      try {
        loadConfig({ TWITCH_USERNAME: 'um_bot', TWITCH_OAUTH_TOKEN: 'short!secret' });
      } catch (err) {
        return String(err);
      }
      return '';
    })();
    expect(leaked).toMatch(/TWITCH_OAUTH_TOKEN/);
    expect(leaked).not.toContain('short!secret');
  });

  it("lists exactly the schema's variables in .env.example, each with a comment", () => {
    const lines = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split('\n');
    const names = lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]);
    expect(names.sort()).toEqual(Object.keys(envSchema.shape).sort());
    for (const name of names) {
      const index = lines.findIndex((l) => l.startsWith(`${name}=`));
      expect(lines[index - 1], `${name} needs a comment above it`).toMatch(/^#/);
    }
  });
});
