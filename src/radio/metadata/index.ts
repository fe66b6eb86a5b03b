import { epidemic } from './epidemic.ts';
import { generic } from './generic.ts';
import { icecastStatus } from './icecast-status.ts';
import { monstercat } from './monstercat.ts';
import { pretzel } from './pretzel.ts';
import { shoutcast } from './shoutcast.ts';
import { streambeats } from './streambeats.ts';
import type { MetadataParser } from './types.ts';

/** Station metadata APIs by provider name (a station's `provider`). */
export const METADATA_PARSERS: Record<string, MetadataParser> = Object.fromEntries(
  [pretzel, epidemic, monstercat, streambeats, icecastStatus, shoutcast, generic].map((p) => [p.provider, p]),
);
