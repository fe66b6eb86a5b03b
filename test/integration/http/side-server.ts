import { FakeLrclib } from '../../fakes/lrclib/index.ts';
import { BotProcess } from '../../support/bot-process.ts';
import { MediaServer } from '../../support/media-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { dropNamespace, REDIS_URL, rawRedis, uniqueNamespace } from '../../support/redis.ts';
import { toneFile } from '../../support/tones.ts';

export const SIDE_TOKEN = 'side-server-token-0123456789abcdef';

/**
 * The side-server exactly as `npm start` runs it in API-only mode (no DISCORD_TOKEN), on real Redis and
 * a fresh PostgreSQL database, with a local media host the SSRF guard lets through, a fake LRCLIB (the
 * lyrics routes never reach the real one), and no rate limit.
 */
export class SideServer {
  readonly bot: BotProcess;
  readonly base: string;
  readonly media: MediaServer;
  readonly lrclib: FakeLrclib;
  private readonly database: TestDatabase;
  private readonly namespace: string;

  private constructor(
    bot: BotProcess,
    base: string,
    media: MediaServer,
    database: TestDatabase,
    namespace: string,
    lrclib: FakeLrclib,
  ) {
    this.bot = bot;
    this.base = base;
    this.media = media;
    this.lrclib = lrclib;
    this.database = database;
    this.namespace = namespace;
  }

  static async start(name: string): Promise<SideServer> {
    const media = await MediaServer.start();
    const lrclib = await FakeLrclib.start();
    const database = await createTestDatabase();
    const namespace = uniqueNamespace(name);
    const bot = await BotProcess.start({
      LOG_LEVEL: 'info',
      HTTP_PORT: '0',
      API_TOKEN: SIDE_TOKEN,
      API_RATE_LIMIT: '0',
      REDIS_URL,
      REDIS_NAMESPACE: namespace,
      DATABASE_URL: database.url,
      MEDIA_ALLOWLIST: '127.0.0.1',
      LYRICS_API_URL: lrclib.url,
    });
    const ready = await bot.waitForLog((l) => l.msg === 'Unified Music is running');
    return new SideServer(bot, String(ready.http), media, database, namespace, lrclib);
  }

  /** A short tone on the media host, playable through the direct-link provider. */
  song(name: string): string {
    return this.media.serve(`/${encodeURIComponent(name)}.mp3`, toneFile(440, 2, 'mp3'));
  }

  /** Calls the API with the token; the status, headers and parsed JSON body (or the text). */
  async call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${SIDE_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
    return { status: res.status, headers: res.headers, json: json as any };
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.media.close();
    await this.lrclib.stop();
    const redis = rawRedis();
    await dropNamespace(redis, this.namespace);
    redis.disconnect();
    await this.database.drop();
  }
}
