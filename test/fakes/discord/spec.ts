import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import ajv2020 from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

// Both are CommonJS: the class and the plugin are their `default` under Node's ESM interop and tsc alike.
const Ajv2020 = ajv2020.default;
const addFormats = ajvFormats.default;

/**
 * Request bodies checked against Discord's published OpenAPI document (API v10, vendored in
 * test/fixtures/discord-api-spec with its commit id) and against the documented limits the document
 * does not encode. A body that breaks either gets Discord's answer: 400, code 50035, "Invalid Form Body",
 * with an `errors` tree that follows the body's path (`embeds.0.description._errors`).
 */

const SPEC_FILE = new URL('../../fixtures/discord-api-spec/openapi.json', import.meta.url);

interface Operation {
  method: string;
  pattern: RegExp;
  /** Fewer path parameters first, so `/messages/@original` wins over `/messages/{message_id}`. */
  params: number;
  schema: unknown;
}

interface Loaded {
  ajv: InstanceType<typeof Ajv2020>;
  operations: Operation[];
  compiled: Map<Operation, ValidateFunction>;
}

let loaded: Loaded | null = null;

function load(): Loaded {
  if (loaded) return loaded;
  // Refs inside the document point at `#/components/...`; with the document added as `discord`, the
  // request-body schemas compiled on their own resolve them as `discord#/components/...`.
  const text = readFileSync(SPEC_FILE, 'utf8').replaceAll('"$ref": "#/', '"$ref": "discord#/');
  const spec = JSON.parse(text) as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema: unknown }> } }>
    >;
    components: unknown;
  };
  integersAsStrings(spec.components);
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const format of ['snowflake', 'int64', 'int32', 'double', 'nonce']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: 'discord', components: spec.components });
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      if (!schema) continue;
      const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[a-z_0-9]+\}/g, '[^/]+');
      operations.push({
        method: method.toUpperCase(),
        pattern: new RegExp(`^/api/v10${source}$`),
        params: (path.match(/\{/g) ?? []).length,
        schema,
      });
    }
  }
  operations.sort((a, b) => a.params - b.params);
  loaded = { ajv, operations, compiled: new Map() };
  return loaded;
}

/**
 * Discord takes an integer as a decimal string too, and documents some only so (permissions are
 * "string" in its docs, `integer` in the document): every integer schema also accepts a digit string.
 */
function integersAsStrings(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) integersAsStrings(n);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('integer') && !types.includes('string') && schema.pattern === undefined) {
    schema.type = [...types.filter(Boolean), 'string'];
    schema.pattern = '^-?[0-9]+$';
  }
  for (const value of Object.values(schema)) integersAsStrings(value);
}

/** One entry of Discord's error tree. */
export interface FieldError {
  code: string;
  message: string;
}

/** Discord's "Invalid Form Body" answer for a body that breaks the spec or a documented limit. */
export interface InvalidFormBody {
  code: 50035;
  message: 'Invalid Form Body';
  errors: Record<string, unknown>;
}

/**
 * What is wrong with `body` for `method path` (path as requested, under /api/v10), as a list of
 * `[path, error]` pairs; empty when Discord would take it. Routes the document has no JSON body for
 * are not checked.
 */
export function bodyProblems(method: string, path: string, body: unknown): [string, FieldError][] {
  if (body === undefined) return [];
  const { ajv, operations, compiled } = load();
  const op = operations.find((o) => o.method === method && o.pattern.test(path));
  if (!op) return [];
  const validate = compiled.get(op) ?? ajv.compile(op.schema as object);
  compiled.set(op, validate);
  const problems: [string, FieldError][] = [];
  if (!validate(body)) problems.push(...schemaProblems(validate.errors ?? []));
  problems.push(...limitProblems(body));
  return problems;
}

/** The answer for a list of problems, in Discord's shape. */
export function invalidFormBody(problems: [string, FieldError][]): InvalidFormBody {
  const errors: Record<string, unknown> = {};
  for (const [path, error] of problems) {
    let node = errors;
    for (const part of path.split('.').filter(Boolean)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node._errors ??= [];
    const list = node._errors as FieldError[];
    if (!list.some((e) => e.code === error.code && e.message === error.message)) list.push(error);
  }
  return { code: 50035, message: 'Invalid Form Body', errors };
}

/** Keywords that say a value is out of bounds, rather than that a union's other branch did not fit. */
const BOUNDS = ['maxLength', 'minLength', 'maxItems', 'minItems', 'maximum', 'minimum', 'pattern', 'format'];

/**
 * Ajv's errors in Discord's words. A union (`oneOf`/`anyOf`) reports every branch that did not fit;
 * when some error says a value is out of bounds, only those are kept, which keeps the tree close to
 * what Discord reports.
 */
function schemaProblems(errors: ErrorObject[]): [string, FieldError][] {
  const bounds = errors.filter((e) => BOUNDS.includes(e.keyword));
  const useful = errors.filter(
    (e) => !['oneOf', 'anyOf', 'allOf', 'if', 'enum', 'const'].includes(e.keyword),
  );
  const chosen = bounds.length > 0 ? bounds : useful.length > 0 ? useful : errors;
  return chosen.map((e) => {
    const where = e.instancePath.split('/').filter(Boolean).join('.');
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'maxLength':
      case 'maxItems':
        return [where, { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${p.limit} or fewer in length.` }];
      case 'minLength':
      case 'minItems':
        return [where, { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${p.limit} or more in length.` }];
      case 'required':
        return [
          [where, String(p.missingProperty)].filter(Boolean).join('.'),
          { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' },
        ];
      case 'maximum':
      case 'minimum':
        return [where, { code: 'NUMBER_TYPE_MAX', message: `int value should be ${e.message}.` }];
      default:
        return [where, { code: 'BASE_TYPE_BAD', message: `Invalid value (${e.message ?? e.keyword}).` }];
    }
  });
}

/** Code points, as Discord counts a string's length. */
function length(s: unknown): number {
  return typeof s === 'string' ? [...s].length : 0;
}

/**
 * Discord's documented limits the OpenAPI document leaves out (or states more loosely): message content
 * 2,000 characters; all embeds 6,000 characters together; 5 action rows with up to 5 buttons, or one
 * select menu, each; a select's options at most 25.
 */
function limitProblems(body: unknown): [string, FieldError][] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const problems: [string, FieldError][] = [];
  const message = (body as { data?: unknown }).data ?? body;
  if (typeof message !== 'object' || message === null) return problems;
  const prefix = (body as { data?: unknown }).data ? 'data.' : '';
  const m = message as { content?: unknown; embeds?: unknown; components?: unknown };
  if (length(m.content) > 2000)
    problems.push([
      `${prefix}content`,
      { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' },
    ]);
  if (Array.isArray(m.embeds)) {
    let total = 0;
    for (const e of m.embeds as Record<string, unknown>[]) {
      if (!e) continue;
      total += length(e.title) + length(e.description);
      total += length((e.footer as { text?: string } | null)?.text);
      total += length((e.author as { name?: string } | null)?.name);
      for (const f of (e.fields as { name?: string; value?: string }[] | null) ?? [])
        total += length(f?.name) + length(f?.value);
    }
    if (total > 6000)
      problems.push([
        `${prefix}embeds`,
        { code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' },
      ]);
  }
  if (Array.isArray(m.components)) {
    const rows = m.components as { type?: number; components?: { type?: number }[] }[];
    if (rows.length > 5)
      problems.push([
        `${prefix}components`,
        { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' },
      ]);
    rows.forEach((row, i) => {
      const inner = row?.type === 1 ? (row.components ?? []) : [];
      const selects = inner.filter((c) => c?.type !== 2).length;
      if (selects > 0 && inner.length > 1)
        problems.push([
          `${prefix}components.${i}.components`,
          {
            code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
            message: 'The specified component exceeds the maximum width',
          },
        ]);
    });
  }
  return problems;
}
