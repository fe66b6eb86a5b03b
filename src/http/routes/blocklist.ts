import { z } from 'zod';
import type { Actions } from '../../actions/index.ts';
import { UserError } from '../../core/errors.ts';
import {
  blockKindSchema,
  MAX_BLOCK_VALUE_LENGTH,
  type StoredBlockEntry,
} from '../../storage/db/blocklist.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { apiCallOf } from '../wire.ts';

/** One entry on the wire. The value is checked by the action (it says why an entry is refused). */
const entryBody = z.strictObject({
  type: blockKindSchema,
  value: z.string().max(MAX_BLOCK_VALUE_LENGTH * 4),
});

/** `?default_type=`: the type of a line that gives only a value. */
export const importQuery = z.object({ default_type: blockKindSchema.default('artist') });

const wireEntry = (e: StoredBlockEntry) => ({ type: e.kind, value: e.value });

/** The guild's block lists: tracks, artists and keywords that requests may not queue. */
export function blocklistRoutes(deps: {
  actions: Pick<Actions, 'blocklist'>;
  hasCommunity(guildId: string): boolean;
}): Route[] {
  const { blocklist } = deps.actions;
  const path = '/api/v1/blocklist/{community_id}';
  const call = apiCallOf(deps.hasCommunity);
  return [
    {
      method: 'GET',
      path,
      summary: "The community's block list",
      auth: true,
      handler: async ({ res, params }) => {
        const c = call(params);
        const entries = await blocklist.list(c);
        sendData(res, 200, {
          community_id: c.guildId,
          total: entries.length,
          entries: entries.map(wireEntry),
        });
      },
    },
    {
      method: 'POST',
      path,
      summary: 'Block a track (link or provider id), an artist or a keyword',
      body: entryBody,
      auth: true,
      handler: async ({ res, params, body }) => {
        const e = entryBody.parse(body);
        const out = await blocklist.add(call(params), { kind: e.type, value: e.value });
        sendData(res, 200, { added: out.added, entry: wireEntry(out.entry), total: out.total });
      },
    },
    {
      method: 'POST',
      path: `${path}/remove`,
      summary: 'Take an entry off the block list',
      body: entryBody,
      auth: true,
      handler: async ({ res, params, body }) => {
        const e = entryBody.parse(body);
        const out = await blocklist.remove(call(params), { kind: e.type, value: e.value });
        sendData(res, 200, { removed: true, total: out.total });
      },
    },
    {
      method: 'POST',
      path: `${path}/import`,
      summary:
        'Import a CSV file (type,value lines, or one value a line of default_type); all or nothing, at most 256 KB and 5,000 entries',
      textBody: 'text/csv',
      auth: true,
      handler: async ({ res, params, body, query }) => {
        const c = call(params);
        const q = importQuery.parse(Object.fromEntries(query));
        if (!(body instanceof Buffer)) {
          throw new UserError('INVALID_INPUT', 'Send the CSV file as the body (Content-Type: text/csv).');
        }
        sendData(res, 200, await blocklist.import(c, { csv: body, defaultKind: q.default_type }));
      },
    },
  ];
}
