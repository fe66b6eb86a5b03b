import { Agent, request } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../../support/tracks.ts';
import { type Dictionary, type FuzzRequest, generate, rng } from './fuzz-gen.ts';
import { SIDE_TOKEN, SideServer } from './side-server.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 15_2026);
const CONCURRENCY = 8;

/** The last request each client socket carried, to explain a connection the server closed. */
const lastOn = new WeakMap<object, string>();

interface Answer {
  status: number;
  type: string;
  body: string;
}

/**
 * 10,000 requests generated from the OpenAPI document (src/http/openapi.ts) against the side-server as
 * `npm start` runs it (API-only, real Redis and PostgreSQL): no 5xx but the 502 and 503 an operation
 * documents, every JSON error in the envelope, and the process still alive and answering at the end.
 * FUZZ_SEED replays a run; FUZZ_REQUESTS changes its length.
 */
describe(`fuzzing the REST API from its OpenAPI document (seed ${SEED})`, () => {
  let side: SideServer;
  let agent: Agent;
  let port: number;
  const dict: Dictionary = {
    guild: snowflake(1515),
    itemIds: [],
    stations: [],
    mediaUrl: () => '',
  };

  beforeAll(async () => {
    side = await SideServer.start('fuzz');
    port = Number(new URL(side.base).port);
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let n = 0;
    dict.mediaUrl = () => side.song(`song-${n++ % 30}`);
    for (const name of ['Tone FM', 'Lo-Fi']) {
      const saved = await side.call('POST', `/api/v1/radio/${dict.guild}/stations`, {
        name,
        stream_url: side.song(name),
      });
      expect(saved.status).toBe(201);
      dict.stations.push(name);
    }
    for (let i = 0; i < 3; i++) {
      const added = await side.call('POST', `/api/v1/queue/${dict.guild}/add`, {
        track_url: dict.mediaUrl(),
        requested_by_user_id: snowflake(100 + i),
      });
      expect(added.status).toBe(201);
      dict.itemIds.push(added.json.data.queue_item.id);
    }
  }, 60_000);
  afterAll(async () => {
    if (process.env.FUZZ_LOG) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(
        process.env.FUZZ_LOG,
        side.bot.logs
          .filter((l) => l.level >= 40)
          .map((l) => JSON.stringify(l))
          .join('\n'),
      );
    }
    agent?.destroy();
    await side?.stop();
  });

  /** Sends one request; a client-side error says which request the reused socket carried before. */
  const send = (req: FuzzRequest) =>
    new Promise<Answer | Error>((resolve) => {
      // node:http frames a DELETE body only with an explicit length (else it sends the bytes unframed).
      if (req.body !== undefined) req.headers['content-length'] = String(Buffer.byteLength(req.body));
      const r = request({
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        agent,
      });
      r.setTimeout(30_000, () => r.destroy(new Error('no answer within 30 s')));
      let before: string | undefined;
      r.on('socket', (socket) => {
        before = lastOn.get(socket);
        lastOn.set(socket, `${req.method} ${req.path.slice(0, 80)}`);
      });
      r.on('error', (err) =>
        resolve(new Error(`${err.message}${r.reusedSocket ? ` (socket reused after ${before})` : ''}`)),
      );
      r.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (err) => resolve(err));
      });
      r.end(req.body);
    });

  it(`answers ${REQUESTS} generated requests with no undocumented 5xx, and stays up`, async () => {
    const doc = (await side.call('GET', '/api/v1/openapi.json')).json;
    const r = rng(SEED);
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    const operations = new Set<string>();
    const timings = new Map<string, { n: number; ms: number; max: number }>();
    let clientErrors = 0;
    let sent = 0;
    const worker = async () => {
      while (sent < REQUESTS) {
        sent += 1;
        const req = generate(r, doc, SIDE_TOKEN, dict);
        operations.add(req.operation);
        const started = performance.now();
        const answer = await send(req);
        const took = performance.now() - started;
        const t = timings.get(req.operation) ?? { n: 0, ms: 0, max: 0 };
        timings.set(req.operation, { n: t.n + 1, ms: t.ms + took, max: Math.max(t.max, took) });
        const what = `${req.method} ${req.path.slice(0, 200)} ${String(req.body ?? '').slice(0, 200)}`;
        if (answer instanceof Error) {
          // A 413 closes the connection while a big body is still being sent; anything else is a problem.
          if (req.body && req.body.length > 1024 * 1024) clientErrors += 1;
          else problems.push(`${what} -> ${answer.message}`);
          continue;
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500 && !req.documented5xx.includes(answer.status)) {
          problems.push(`${what} -> ${answer.status} ${answer.body.slice(0, 300)}`);
        } else if (answer.status >= 400 && answer.type.startsWith('application/json') && answer.body) {
          const json = safeJson(answer.body);
          if (json?.success !== false || typeof json.error?.code !== 'string') {
            problems.push(`${what} -> ${answer.status} not an error envelope: ${answer.body.slice(0, 200)}`);
          }
        }
        const mismatch = checkAgainstDocument(doc, req, answer);
        if (mismatch) problems.push(`${what} -> ${answer.status} ${mismatch}: ${answer.body.slice(0, 200)}`);
        learn(req, answer);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    if (process.env.FUZZ_LOG) {
      const { appendFileSync } = await import('node:fs');
      const slow = [...timings].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
      appendFileSync(
        `${process.env.FUZZ_LOG}.timings`,
        `${JSON.stringify([...statuses])}\n${slow.map(([op, t]) => `${op} n=${t.n} total=${Math.round(t.ms)}ms max=${Math.round(t.max)}ms`).join('\n')}\n`,
      );
    }
    const summary = [...statuses]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    expect(problems.length, `statuses ${summary}\n${problems.slice(0, 40).join('\n')}`).toBe(0);
    expect(side.bot.alive).toBe(true);
    expect((await side.call('GET', '/health')).status).toBe(200);
    // The run reached every operation and got successes as well as refusals.
    expect(operations.size).toBe(Object.values(doc.paths).flatMap((p) => Object.keys(p as object)).length);
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect(clientErrors).toBeLessThan(REQUESTS / 10);
  }, 300_000);

  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction>();

  /**
   * An answer to a request sent with its operation's method must have a status the operation
   * documents and, when JSON, match that status's schema. Null when it does.
   */
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document read by path
  function checkAgainstDocument(doc: Record<string, any>, req: FuzzRequest, answer: Answer): string | null {
    const [method, template] = req.operation.split(' ') as [string, string];
    if (req.method !== method || answer.status === 405) return null;
    const response = doc.paths[template][method.toLowerCase()].responses[String(answer.status)];
    if (!response) return 'is not a status the document lists for the operation';
    let schema = response.content?.['application/json']?.schema;
    if (!schema || !answer.type.startsWith('application/json') || !answer.body) return null;
    if (schema.$ref) schema = doc.components.schemas.Error;
    const key = `${req.operation} ${answer.status}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      validators.set(key, validate);
    }
    return validate(safeJson(answer.body))
      ? null
      : `does not match the schema: ${ajv.errorsText(validate.errors)}`;
  }

  /** Queue items and stations that the run created become path parameters of later requests. */
  function learn(req: FuzzRequest, answer: Answer): void {
    if (answer.status !== 201) return;
    const data = safeJson(answer.body)?.data;
    if (req.operation.endsWith('/add') && data?.queue_item?.id && dict.itemIds.length < 50) {
      dict.itemIds.push(data.queue_item.id);
    }
    if (req.operation.endsWith('/stations') && typeof data?.name === 'string' && dict.stations.length < 30) {
      dict.stations.push(data.name);
    }
  }
});

// biome-ignore lint/suspicious/noExplicitAny: JSON read by path
function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
