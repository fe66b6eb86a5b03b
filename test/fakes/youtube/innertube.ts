import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers /player for a video, each from a fixture shaped like YouTube's answer. */
export type PlayerScript =
  | { kind: 'ok'; title: string; author: string; seconds: number; file: string }
  | { kind: 'bot-check' }
  | { kind: 'age-restricted'; title: string }
  | { kind: 'private' };

const FIXTURES = new URL('../../fixtures/youtube/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/**
 * A fake InnerTube (youtube.com/youtubei/v1) for youtubei.js: `/player` answers per video from the
 * player-*.json fixtures, and `/videoplayback` serves the audio file with YouTube's `range=a-b` query.
 * youtubei.js reaches it through {@link FakeInnerTube.fetch}, which sends www.youtube.com here.
 */
export class FakeInnerTube {
  /** `clientName` of each /player request, in order. */
  readonly playerClients: string[] = [];
  readonly mediaRequests: string[] = [];
  private readonly server: Server;
  private readonly scripts = new Map<string, PlayerScript>();

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeInnerTube> {
    const fake = new FakeInnerTube();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  video(id: string, script: PlayerScript): void {
    this.scripts.set(id, script);
  }

  /** A fetch for youtubei.js that sends YouTube's hosts to this server. */
  readonly fetch: typeof fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (/(^|\.)youtube\.com$/.test(url.hostname)) {
      return fetch(new Request(`${this.origin}${url.pathname}${url.search}`, request));
    }
    return fetch(request);
  };

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname === '/youtubei/v1/player') {
      const body = JSON.parse(await text(req)) as {
        videoId: string;
        client?: string;
        context?: { client?: { clientName?: string } };
      };
      // youtubei.js names the client in `client`, or in the InnerTube context as YouTube's apps do.
      this.playerClients.push(body.client ?? body.context?.client?.clientName ?? 'unknown');
      res.writeHead(200, { 'content-type': 'application/json' }).end(this.player(body.videoId));
      return;
    }
    if (url.pathname === '/videoplayback') return this.media(url, res);
    if (url.pathname.startsWith('/youtubei/v1/')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"responseContext":{}}');
      return;
    }
    res.writeHead(404).end();
  }

  private player(videoId: string): string {
    const script = this.scripts.get(videoId);
    if (!script)
      return JSON.stringify({ playabilityStatus: { status: 'ERROR', reason: 'This video is unavailable' } });
    const fill = (template: string, values: Record<string, string | number>) =>
      template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
    switch (script.kind) {
      case 'ok':
        return fill(fixture('player-ok.json'), {
          media: this.origin,
          videoId,
          title: script.title,
          author: script.author,
          lengthSeconds: script.seconds,
          durationMs: script.seconds * 1000,
          contentLength: statSync(script.file).size,
        });
      case 'bot-check':
        return fixture('player-bot-check.json');
      case 'age-restricted':
        return fill(fixture('player-age-restricted.json'), {
          videoId,
          title: script.title,
          author: 'Someone',
          lengthSeconds: 60,
        });
      case 'private':
        return fixture('player-private.json');
    }
  }

  private media(url: URL, res: ServerResponse): void {
    this.mediaRequests.push(`${url.pathname}${url.search}`);
    const script = this.scripts.get(url.searchParams.get('id') ?? '');
    if (script?.kind !== 'ok') {
      res.writeHead(403).end();
      return;
    }
    const data = readFileSync(script.file);
    const [start, end] = (url.searchParams.get('range') ?? `0-${data.length - 1}`).split('-').map(Number);
    const slice = data.subarray(start ?? 0, Math.min((end ?? data.length - 1) + 1, data.length));
    res.writeHead(200, { 'content-type': 'audio/webm', 'content-length': slice.length }).end(slice);
  }
}

function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8'))));
}
