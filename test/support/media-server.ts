import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  webm: 'audio/webm',
  wav: 'audio/wav',
};

/** A local HTTP server for audio files, redirects and non-audio answers, as a media host would. */
export class MediaServer {
  private readonly server: Server;
  private readonly files = new Map<string, string>();
  private readonly redirects = new Map<string, string>();
  /** path -> bytes sent before the response hangs (open, silent) */
  private readonly stalls = new Map<string, number>();
  private readonly hanging = new Set<import('node:http').ServerResponse>();
  requests: string[] = [];

  private constructor() {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.requests.push(path);
      const redirect = this.redirects.get(path);
      if (redirect) {
        res.writeHead(302, { location: redirect }).end();
        return;
      }
      if (path === '/page.html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
        return;
      }
      const file = this.files.get(path);
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      const ext = file.split('.').pop()!;
      res.writeHead(200, {
        'content-type': TYPES[ext] ?? 'application/octet-stream',
        'content-length': statSync(file).size,
      });
      const stallAt = this.stalls.get(path);
      if (stallAt !== undefined) {
        // The first bytes, then nothing, with the connection left open: a server hanging mid-file.
        this.hanging.add(res);
        res.once('close', () => this.hanging.delete(res));
        createReadStream(file, { end: stallAt - 1 }).on('data', (chunk) => res.write(chunk));
        return;
      }
      createReadStream(file).pipe(res);
    });
  }

  static async start(host = '127.0.0.1'): Promise<MediaServer> {
    const s = new MediaServer();
    await new Promise<void>((resolve) => s.server.listen(0, host, resolve));
    return s;
  }

  /** The node:http server (tests count the requests it gets). */
  get raw(): Server {
    return this.server;
  }

  get origin(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /** Serves a file at a path; returns its URL. */
  serve(path: string, file: string): string {
    this.files.set(path, file);
    return `${this.origin}${path}`;
  }

  /** Serves `file` at `path` but stops after `bytes` bytes and never ends the response. */
  stalling(path: string, file: string, bytes: number): string {
    this.stalls.set(path, bytes);
    return this.serve(path, file);
  }

  redirect(path: string, to: string): string {
    this.redirects.set(path, to);
    return `${this.origin}${path}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
