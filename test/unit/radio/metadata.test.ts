import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METADATA_PARSERS } from '../../../src/radio/metadata/index.ts';
import type { StationApi } from '../../../src/radio/metadata/types.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/radio/${name}.json`, import.meta.url), 'utf8'));
const station = (over: Partial<StationApi> = {}): StationApi => ({
  apiEndpoint: 'https://api.station.test/v1',
  apiKey: 'secret-key',
  metadataPath: null,
  customHeaders: {},
  ...over,
});

describe('station metadata parsers (fixtures shaped like each API)', () => {
  it('pretzel: GET /current with a Bearer key; track name, artist, album, artwork', () => {
    const p = METADATA_PARSERS.pretzel!;
    expect(p.request(station())).toEqual({
      url: 'https://api.station.test/v1/current',
      headers: { accept: 'application/json', authorization: 'Bearer secret-key' },
    });
    expect(p.parse(fixture('pretzel'), station())).toMatchObject({
      title: 'Night Drive',
      artist: 'Neon Coast',
      album: 'Afterglow',
      thumbnail_url: 'https://img.pretzel.test/afterglow.jpg',
    });
  });

  it('epidemic: GET /v4/streams/{id}; current track with its duration', () => {
    const p = METADATA_PARSERS.epidemic!;
    expect(p.request(station({ metadataPath: 'stream 7' })).url).toBe(
      'https://api.station.test/v1/v4/streams/stream%207',
    );
    expect(() => p.request(station())).toThrow(/stream id/);
    expect(p.parse(fixture('epidemic'), station())).toMatchObject({
      title: 'Slow Motion',
      artist: 'Lofi Lane',
      album: 'Evenings',
      duration_seconds: 187,
    });
  });

  it('monstercat: GET /api/now-playing with X-API-Key', () => {
    const p = METADATA_PARSERS.monstercat!;
    expect(p.request(station()).headers).toEqual({ accept: 'application/json', 'x-api-key': 'secret-key' });
    expect(p.parse(fixture('monstercat'), station())).toMatchObject({
      title: 'Fractured',
      artist: 'Halcyon',
      genre: 'Drum & Bass',
      duration_seconds: 245,
      thumbnail_url: 'https://cdn.monstercat.test/art/fractured.jpg',
    });
  });

  it('streambeats: GET /now-playing; track with cover art', () => {
    const p = METADATA_PARSERS.streambeats!;
    expect(p.parse(fixture('streambeats'), station())).toMatchObject({
      title: 'Victory Lap',
      artist: 'Harris Heller',
      thumbnail_url: 'https://streambeats.test/covers/victory.png',
    });
  });

  it('icecast status-json: picks the mount and splits "Artist - Title"', () => {
    const p = METADATA_PARSERS.icecast!;
    expect(p.parse(fixture('icecast-status'), station({ metadataPath: '/live' }))).toMatchObject({
      title: 'One More Time',
      artist: 'Daft Punk',
      genre: 'Electronic',
      bitrate: 128,
      codec: 'mpeg',
    });
    expect(p.parse({ icestats: { source: { title: 'Solo' } } }, station())).toMatchObject({
      title: 'Solo',
      artist: null,
    });
    expect(() => p.parse({ nope: 1 }, station())).toThrow(/icestats/);
  });

  it('shoutcast v2: stats?sid=&json=1; songtitle split', () => {
    const p = METADATA_PARSERS.shoutcast!;
    expect(p.request(station({ apiEndpoint: 'http://sc.test:8000', metadataPath: '2' })).url).toBe(
      'http://sc.test:8000/stats?sid=2&json=1',
    );
    expect(p.parse(fixture('shoutcast'), station())).toMatchObject({
      title: 'So What',
      artist: 'Miles Davis',
      genre: 'Jazz',
      bitrate: 128,
    });
  });

  it('generic JSON: fields mapped by metadata_path', () => {
    const p = METADATA_PARSERS.json!;
    const s = station({
      metadataPath:
        'title=data.now.song.name; artist=data.now.song.by; thumbnail_url=data.now.art.0; duration_seconds=data.now.length',
    });
    expect(p.parse(fixture('generic'), s)).toMatchObject({
      title: 'Midnight City',
      artist: 'M83',
      thumbnail_url: 'https://art.test/m83.jpg',
      duration_seconds: 243,
    });
    expect(() => p.parse({}, station({ metadataPath: 'colour=x' }))).toThrow(/colour=x/);
  });

  it('gives null (nothing playing) for answers without a current track', () => {
    expect(METADATA_PARSERS.pretzel!.parse({ track: null }, station())).toBeNull();
    expect(METADATA_PARSERS.monstercat!.parse({ title: '' }, station())).toBeNull();
    expect(METADATA_PARSERS.shoutcast!.parse({ songtitle: '' }, station())).toBeNull();
  });

  it('throws on malformed answers, so the caller keeps the last good now-playing', () => {
    expect(() => METADATA_PARSERS.pretzel!.parse({ track: 'x' }, station())).toThrow();
    expect(() => METADATA_PARSERS.monstercat!.parse('garbage', station())).toThrow();
  });

  it('adds custom headers to every request', () => {
    for (const p of Object.values(METADATA_PARSERS)) {
      const req = p.request(station({ metadataPath: '1', customHeaders: { 'x-station': 'abc' } }));
      expect(req.headers['x-station'], p.provider).toBe('abc');
    }
  });
});
