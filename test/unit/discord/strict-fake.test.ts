import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimits } from '../../fakes/discord/ratelimits.ts';
import { FakeRest } from '../../fakes/discord/rest.ts';

/** The strict fake Discord's REST side refuses what Discord refuses, in Discord's words. */
describe('the strict fake Discord', () => {
  let rest: FakeRest;
  beforeEach(async () => {
    rest = await FakeRest.start();
  });
  afterEach(async () => {
    await rest.close();
  });

  const call = async (method: string, path: string, body?: unknown, token = true) => {
    const res = await fetch(`${rest.apiUrl}/v10${path}`, {
      method,
      headers: {
        ...(token ? { authorization: 'Bot fake' } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
  };

  it('answers a reply over 2,000 characters with 400, code 50035 and the error tree', async () => {
    const res = await call(
      'POST',
      '/interactions/1/tok/callback',
      { type: 4, data: { content: 'x'.repeat(2001) } },
      false,
    );
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        data: {
          content: {
            _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
          },
        },
      },
    });
    expect(rest.takeRefusals()).toMatchObject([
      { status: 400, path: '/api/v10/interactions/1/tok/callback' },
    ]);
  });

  it('checks embeds and components against the OpenAPI document and the 6,000-character total', async () => {
    const description = 'd'.repeat(4000);
    const res = await call('PATCH', '/webhooks/1/tok/messages/@original', {
      embeds: [{ description }, { description }],
      components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'c'.repeat(101), label: 'ok' }] }],
    });
    expect(res.status).toBe(400);
    expect(res.json.errors.embeds._errors[0].code).toBe('MAX_EMBED_SIZE_EXCEEDED');
    expect(res.json.errors.components['0'].components['0'].custom_id._errors[0]).toEqual({
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 100 or fewer in length.',
    });
    rest.takeRefusals();
  });

  it('takes what Discord takes: a deferral, an edit, commands with permissions as strings', async () => {
    expect(
      (await call('POST', '/interactions/1/tok/callback', { type: 5, data: { flags: 64 } }, false)).status,
    ).toBe(404);
    expect((await call('PATCH', '/channels/1/messages/2', { content: 'hello', embeds: [] })).status).toBe(
      404,
    );
    const command = { name: 'play', description: 'Play a song', default_member_permissions: '32', type: 1 };
    expect((await call('PUT', '/applications/1/commands', [command])).status).toBe(404);
    expect(rest.takeRefusals()).toEqual([]);
  });

  it('enforces a bucket with X-RateLimit headers and a 429 with retry_after', async () => {
    // Creating messages: 5 per 5 s per channel.
    const path = '/channels/123456789/messages';
    const first = await call('POST', path, { content: 'hi' });
    expect(first.headers.get('x-ratelimit-limit')).toBe('5');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(Number(first.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
    expect(first.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{16}$/);
    for (let i = 0; i < 4; i++) expect((await call('POST', path, { content: 'hi' })).status).toBe(404);
    const sixth = await call('POST', path, { content: 'hi' });
    expect(sixth.status).toBe(429);
    expect(sixth.json).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(sixth.json.retry_after).toBeGreaterThan(0);
    expect(sixth.headers.get('x-ratelimit-scope')).toBe('user');
    expect(sixth.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another channel is another bucket.
    expect((await call('POST', '/channels/555555555/messages', { content: 'hi' })).status).toBe(404);
    expect(rest.takeRefusals()).toMatchObject([{ status: 429 }]);
  });

  it('limits a token to 50 requests a second in all, interaction callbacks and token webhooks aside', () => {
    let now = 1_000_000;
    const limits = new RateLimits(() => now);
    const take = (i: number) => limits.take('GET', `/api/v10/guilds/${100_000 + i}/roles`, true);
    for (let i = 0; i < 50; i++) expect(take(i).refused).toBeNull();
    expect(limits.take('POST', '/api/v10/interactions/1/tok/callback', false).refused).toBeNull();
    expect(limits.take('PATCH', '/api/v10/webhooks/1/tok/messages/@original', false).refused).toBeNull();
    const over = take(50);
    expect(over.refused).toMatchObject({ global: true });
    expect(over.headers['x-ratelimit-global']).toBe('true');
    now += 1000;
    expect(take(51).refused).toBeNull();
  });
});
