/*
 * A request generator for the fuzz test, driven by the OpenAPI document: for each operation it makes
 * path parameters, query strings and JSON bodies from the schemas, valid often enough to reach the
 * actions, and mutated with the values that break servers (wrong types, NUL, lone surrogates, huge and
 * odd numbers, deep nesting, many keys, bad %-escapes, bad JSON, wrong content types). Seeded, so a
 * failing seed replays.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema and OpenAPI objects read by path
type Schema = any;

export interface FuzzRequest {
  operation: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** 5xx statuses the document says this operation can answer (502, 503). */
  documented5xx: number[];
}

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
  };
}
export type Rng = ReturnType<typeof rng>;

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\r\nX-Injected: 1',
  'a'.repeat(5_000),
  '%ZZ',
  '%',
  '%FF',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '\u202e\u0645\ud83d\ude00',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '00000000000000000000000',
  '\ufeff',
  'http://[zz',
  'http://:0',
  'http://a b/',
];
const NASTY_NUMBERS = [0, -0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, 5e-324, 1e21, 4294967296, -2147483649];

/** A value of a wrong or breaking kind, whatever the schema wanted. */
export function nasty(r: Rng, depth = 0): unknown {
  switch (r.int(8)) {
    case 0:
      return r.pick(NASTY_STRINGS);
    case 1:
      return r.pick(NASTY_NUMBERS);
    case 2:
      return r.pick([true, false, null]);
    case 3:
      return depth > 2 ? [] : [nasty(r, depth + 1), nasty(r, depth + 1)];
    case 4:
      return depth > 2 ? {} : { [r.pick(NASTY_STRINGS)]: nasty(r, depth + 1) };
    case 5:
      return nested(r.pick([50, 500, 1_000]));
    case 6:
      return Object.fromEntries(Array.from({ length: r.pick([100, 2_000]) }, (_, i) => [`k${i}`, i]));
    default:
      return r.pick(NASTY_STRINGS) + String.fromCharCode(r.int(0x10000));
  }
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Values for fields by name, where a random string would only test the first check. */
export interface Dictionary {
  guild: string;
  itemIds: string[];
  stations: string[];
  mediaUrl(): string;
}

function stringFor(r: Rng, schema: Schema, name: string, dict: Dictionary): string {
  if (/url|endpoint/.test(name)) {
    return r.pick([
      dict.mediaUrl(),
      dict.mediaUrl().replace(/\.mp3$/, '%ZZ.mp3'),
      dict.mediaUrl().replace(/\.mp3$/, '%FF.mp3'),
      'http://10.0.0.1/stream',
      'http://[::127.0.0.1]/',
      'http://host.invalid/a.mp3',
      'ftp://example.invalid/x',
      'not a url',
      `http://127.0.0.1:1/${r.int(100)}.mp3`,
    ]);
  }
  if (name === 'station' || (name === 'name' && dict.stations.length > 0 && r.chance(0.5))) {
    return r.chance(0.7) && dict.stations.length > 0 ? r.pick(dict.stations) : `Station ${r.int(20)}`;
  }
  if (name === 'community_id') return r.chance(0.8) ? dict.guild : snowflake(r);
  if (schema?.pattern === '^\\d{17,20}$' || /user_id|role_id|channel_id/.test(name)) return snowflake(r);
  if (schema?.format === 'uuid') return r.pick(dict.itemIds.length ? dict.itemIds : [uuid(r)]);
  if (schema?.format === 'date-time') return new Date(1_700_000_000_000 + r.int(1e9)).toISOString();
  if (schema?.format === 'uri') return dict.mediaUrl();
  if (name === 'provider') return r.pick(['http', 'icecast', 'youtube', 'x']);
  const max = Math.min(schema?.maxLength ?? 40, 40);
  const min = schema?.minLength ?? 0;
  const len = min + r.int(Math.max(1, max - min + 1));
  return Array.from({ length: len }, () => r.pick([...'abcdefghijklmnop qrstuvwxyz0123456789-_'])).join('');
}

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) 3-byte UTF-8 escape. */
function enc(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

function snowflake(r: Rng): string {
  return String(100000000000000000n + BigInt(r.int(1e9)));
}

function uuid(r: Rng): string {
  const hex = () => r.int(16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

/** A value for the schema: valid most of the time (as far as a small generator can tell). */
export function fromSchema(r: Rng, schema: Schema, dict: Dictionary, name = '', depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (r.chance(0.04)) return nasty(r);
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return r.pick(schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return fromSchema(r, r.pick(alternatives), dict, name, depth + 1);
  const type = Array.isArray(schema.type) ? r.pick(schema.type) : schema.type;
  switch (type) {
    case 'string':
      return stringFor(r, schema, name, dict);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -5;
      const max = Math.min(schema.maximum ?? schema.exclusiveMaximum ?? 200, min + 10_000);
      const v = min + r.next() * (max - min);
      return type === 'integer' ? Math.round(v) : v;
    }
    case 'boolean':
      return r.chance(0.5);
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: r.int(3) }, () => fromSchema(r, schema.items, dict, name, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      const required: string[] = schema.required ?? [];
      for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
        if (!required.includes(key) && !r.chance(0.6)) continue;
        out[key] = fromSchema(r, sub, dict, key, depth + 1);
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        for (let i = r.int(3); i > 0; i--) {
          out[stringFor(r, schema.propertyNames ?? {}, 'key', dict)] = fromSchema(
            r,
            schema.additionalProperties,
            dict,
            'value',
            depth + 1,
          );
        }
      }
      return out;
    }
    default:
      return nasty(r);
  }
}

/** A body as sent: JSON of a (mutated) value, or bytes that are not what the route wants. */
function bodyFor(r: Rng, schema: Schema, dict: Dictionary): { text: string | Buffer; type: string } {
  const json = 'application/json';
  const roll = r.int(100);
  if (roll < 60) return { text: JSON.stringify(fromSchema(r, schema, dict)), type: json };
  if (roll < 72) {
    // One field replaced by a breaking value, or an extra one.
    const value = fromSchema(r, schema, dict) as Record<string, unknown>;
    const keys = value && typeof value === 'object' ? Object.keys(value) : [];
    const key = keys.length > 0 && r.chance(0.7) ? r.pick(keys) : r.pick(NASTY_STRINGS);
    const mutated = value && typeof value === 'object' ? { ...value, [key]: nasty(r) } : nasty(r);
    return { text: JSON.stringify(mutated), type: json };
  }
  if (roll < 78) return { text: JSON.stringify(nasty(r)), type: json };
  if (roll < 83) {
    return {
      text: r.pick([
        '{',
        '{"a":1,}',
        'NaN',
        '{"x": 1e999}',
        '\ufeff{}',
        '[1,2',
        '{"a":"\\ud800"}',
        '{"a":"\\u0000"}',
        `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
        `{"__proto__": {"polluted": true}}`,
        '"just a string"',
      ]),
      type: json,
    };
  }
  if (roll < 86) return { text: Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), type: json };
  if (roll < 90)
    return {
      text: JSON.stringify(fromSchema(r, schema, dict)),
      type: r.pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        '',
      ]),
    };
  if (roll < 92) return { text: Buffer.alloc(1024 * 1024 + 10, 0x20), type: json };
  return { text: '', type: json };
}

function segment(r: Rng, name: string, schema: Schema, dict: Dictionary): string {
  if (r.chance(0.85)) {
    if (name === 'queue_item_id' && dict.itemIds.length > 0 && r.chance(0.8)) return r.pick(dict.itemIds);
    if (name === 'name' && dict.stations.length > 0 && r.chance(0.7)) {
      return enc(r.pick(dict.stations));
    }
    if (name === 'provider') return r.pick(['http', 'youtube', 'soundcloud', 'spotify', 'nope']);
    return enc(stringFor(r, schema, name, dict));
  }
  return r.pick([
    '%ZZ',
    '%',
    '%00',
    '%ED%A0%80',
    '%C3',
    enc(r.pick(NASTY_STRINGS)),
    '9'.repeat(400),
    '0',
    '...',
  ]);
}

/** One request for an operation of the document. */
export function generate(r: Rng, doc: Schema, token: string, dict: Dictionary): FuzzRequest {
  const operations: [string, string, Schema][] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) operations.push([path, method, op]);
  }
  const [template, method, op] = r.pick(operations);
  const params: Schema[] = op.parameters ?? [];
  let path = template.replace(/\{(\w+)\}/g, (_: string, name: string) => {
    const p = params.find((x) => x.name === name && x.in === 'path');
    return segment(r, name, p?.schema, dict);
  });
  // A search would reach YouTube or SoundCloud over the internet: only the providers that stay local.
  if (template.endsWith('/search'))
    path = path.replace(/providers\/[^/]+/, `providers/${r.pick(['http', 'nope', '%ZZ'])}`);
  const query: string[] = [];
  for (const p of params.filter((x) => x.in === 'query')) {
    if (!p.required && r.chance(0.4)) continue;
    const value = r.chance(0.75) ? String(fromSchema(r, p.schema, dict, p.name)) : String(nasty(r));
    query.push(`${enc(p.name)}=${enc(value.slice(0, 3_000))}`);
  }
  if (r.chance(0.05)) query.push(r.pick(['%ZZ=1', 'limit=1&limit=2', '%00', 'a=%ED%A0%80']));
  if (query.length > 0) path += `?${query.join('&')}`;

  const headers: Record<string, string> = {};
  const auth = r.int(100);
  if (auth < 88) headers.authorization = `Bearer ${token}`;
  else if (auth < 92)
    headers.authorization = r.pick([`bearer  ${token}`, `Bearer\t${token}`, `Basic ${token}`]);
  else if (auth < 96)
    headers.authorization = `Bearer ${r.pick(['x', token.slice(1), `${token}x`, '\u00ff'])}`;
  if (op.parameters?.some((p: Schema) => p.in === 'header' && p.name === 'Upgrade') && r.chance(0.5)) {
    headers.connection = 'Upgrade';
    headers.upgrade = 'websocket';
    headers['sec-websocket-version'] = '13';
    headers['sec-websocket-key'] = 'dGhlIHNhbXBsZSBub25jZQ==';
  }
  let verb = method.toUpperCase();
  if (verb === 'GET' && r.chance(0.05)) verb = 'HEAD';
  else if (r.chance(0.02)) verb = r.pick(['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'POST']);

  let body: string | Buffer | undefined;
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (schema && verb !== 'GET' && verb !== 'HEAD') {
    const b = bodyFor(r, schema, dict);
    body = b.text;
    if (b.type) headers['content-type'] = b.type;
  } else if (verb !== 'GET' && verb !== 'HEAD' && r.chance(0.1)) {
    body = JSON.stringify(nasty(r));
    headers['content-type'] = 'application/json';
  }
  const documented5xx = Object.keys(op.responses ?? {})
    .map(Number)
    .filter((s) => s >= 500);
  return {
    operation: `${method.toUpperCase()} ${template}`,
    method: verb,
    path,
    headers,
    body,
    documented5xx,
  };
}
