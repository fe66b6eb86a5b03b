import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackSchema } from '../../../src/core/track.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import { HttpAudioProvider } from '../../../src/providers/http.ts';
import { ProviderRegistry } from '../../../src/providers/registry.ts';
import { MediaServer } from '../../support/media-server.ts';
import { toneFile } from '../../support/tones.ts';

describe('direct HTTP audio provider behind the SSRF guard', () => {
  let media: MediaServer;
  let registry: ProviderRegistry;

  beforeAll(async () => {
    media = await MediaServer.start();
    registry = new ProviderRegistry([
      new HttpAudioProvider({ allowlist: MediaAllowlist.parse('127.0.0.1') }),
    ]);
  });
  afterAll(() => media.close());

  it('resolves an mp3 link to a valid track named after the file', async () => {
    const url = media.serve('/music/Sunny%20Day.mp3', toneFile(440, 1, 'mp3'));
    const [track] = await registry.resolve(url, { limit: 1 });
    const parsed = trackSchema.parse(track);
    expect(parsed).toMatchObject({ title: 'Sunny Day', provider: 'http', uri: url, durationMs: null });
    expect(parsed.metadata).toMatchObject({ content_type: 'audio/mpeg', live: false });
  });

  it('opens Ogg/Opus for passthrough and mp3 and Ogg/Vorbis for ffmpeg', async () => {
    const cases = [
      [media.serve('/a.ogg', toneFile(440, 1, 'ogg-opus')), 'ogg/opus'],
      [media.serve('/a.webm', toneFile(440, 1, 'webm-opus')), 'webm/opus'],
      [media.serve('/a.mp3', toneFile(440, 1, 'mp3')), 'arbitrary'],
      [media.serve('/vorbis.ogg', toneFile(440, 1, 'ogg-vorbis')), 'arbitrary'],
    ] as const;
    for (const [url, type] of cases) {
      const [track] = await registry.resolve(url, { limit: 1 });
      const stream = await registry.open(trackSchema.parse(track), {});
      expect(stream.type, url).toBe(type);
      const bytes: Buffer[] = [];
      for await (const chunk of stream.stream) bytes.push(chunk as Buffer);
      expect(Buffer.concat(bytes).subarray(0, 4).length).toBe(4);
      stream.close();
    }
  });

  it('says plainly when a link is not audio or does not exist', async () => {
    await expect(registry.resolve(`${media.origin}/page.html`, { limit: 1 })).rejects.toMatchObject({
      code: 'INVALID_URL',
      message: 'That link is not audio (it is text/html).',
    });
    await expect(registry.resolve(`${media.origin}/missing.mp3`, { limit: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Nothing is at that link (the server answered 404).',
    });
  });

  it('refuses a redirect to a private address without contacting it', async () => {
    const url = media.redirect('/hop.mp3', 'http://10.0.0.1/secret.mp3');
    await expect(registry.resolve(url, { limit: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN_ADDRESS' });
    const toLoopback = media.redirect('/hop2.mp3', 'http://127.0.0.2:9/secret.mp3');
    await expect(registry.resolve(toLoopback, { limit: 1 })).rejects.toMatchObject({
      code: 'FORBIDDEN_ADDRESS',
    });
  });

  it('refuses local links that are not allowlisted', async () => {
    const strict = new ProviderRegistry([new HttpAudioProvider({ allowlist: MediaAllowlist.parse('') })]);
    const url = media.serve('/b.mp3', toneFile(440, 1, 'mp3'));
    const before = media.requests.length;
    await expect(strict.resolve(url, { limit: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN_ADDRESS' });
    expect(media.requests.length).toBe(before);
  });

  it('explains that search needs a search provider', async () => {
    await expect(registry.resolve('never gonna give you up', { limit: 1 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(registry.resolve('ftp://example.com/a.mp3', { limit: 1 })).rejects.toMatchObject({
      code: 'INVALID_URL',
    });
  });
});
