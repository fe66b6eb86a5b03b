import { isUserError, UserError } from '../core/errors.ts';
import { type QueueItem, type RequestSource, type TrackInput, trackSchema } from '../core/track.ts';
import { checkRequester, type RequestCooldowns, trackRefusal } from '../queue/request-rules.ts';
import type { QueueService } from '../queue/service.ts';
import type { Call } from './actor.ts';
import type { BlocklistPort, PlaybackControl, SettingsPort, TrackResolver } from './ports.ts';

/** Tracks that one add takes from an album or playlist at most (the queue's limits may stop it earlier). */
export const ADD_LIMIT = 50;

/** What happened to the queue's playback after an add. */
export type AddPlayback =
  /** Playback started (or went on) in a voice channel. */
  | 'voice'
  /** The queue plays on the guild's Spotify device (device mode). */
  | 'device'
  /** Nothing can play yet: nobody asked from a voice channel and the bot is in none. */
  | 'waiting-for-voice';

export interface AddResult {
  added: { item: QueueItem; position: number }[];
  /** Tracks found but not queued (the queue or the requester reached a limit). */
  notQueued: number;
  /** Why they were not queued, in plain words. */
  notQueuedReason: { code: string; message: string } | null;
  playback: AddPlayback;
  /** The item now playing, after the add. */
  nowPlaying: QueueItem | null;
  /** Until the first added item plays: the songs ahead of it and what is left of the playing one. */
  estimatedWaitMs: number;
}

export interface AddInput {
  /** A URL or words to search for. */
  query: string;
  /** A provider name to resolve the URL with (the REST API's `provider`). */
  provider?: string;
  /** Whom to queue it for; the actor by default (the REST API names a user). */
  requestedBy?: string;
  /** Where to play: the actor's voice channel, or this one. */
  voiceChannelId?: string | null;
  /**
   * Tracks already resolved (a saved playlist, src/actions/playlists.ts): queued in this order instead
   * of resolving `query` (which then only names them), through the same limits and rules.
   */
  tracks?: readonly TrackInput[];
}

export interface AddDeps {
  queue: QueueService;
  tracks: TrackResolver;
  playback: PlaybackControl | null;
  /** The guild's request rules (in its settings). */
  settings: Pick<SettingsPort, 'get'>;
  blocklist: Pick<BlocklistPort, 'list'>;
  cooldowns: RequestCooldowns;
}

/**
 * Resolve -> limits -> queue -> start playback: the one way a song (or an album or playlist) gets into
 * a guild's queue, for every front end. An album or playlist goes in until the queue or the requester
 * is full; what was left out is counted and explained rather than failing the whole request.
 * The guild's request rules apply here, for every front end: who may request and the requester's
 * cooldown before anything is resolved; then each track's source, live stream, length and the block
 * lists. A playlist keeps the tracks that pass (the first refusal is `notQueuedReason`); when none
 * passes, the first track's refusal is the answer.
 * @throws UserError NOT_FOUND (nothing playable), REQUESTS_RESTRICTED, REQUEST_COOLDOWN, the first
 *   track's SOURCE_NOT_ALLOWED / LIVE_NOT_ALLOWED / TRACK_TOO_LONG / BLOCKED / QUEUE_FULL /
 *   USER_QUEUE_LIMIT, INVALID_URL and the providers' errors
 */
export async function addFromQuery(deps: AddDeps, call: Call, input: AddInput): Promise<AddResult> {
  const { guildId, actor } = call;
  const requestedBy = input.requestedBy ?? actor.userId;
  // A chat viewer's request carries their name, shown wherever the requester is (overlay, Discord).
  const requester: RequestSource | undefined =
    actor.source === 'twitch' && requestedBy === actor.userId
      ? { source: 'twitch', name: actor.displayName }
      : undefined;
  const rules = await deps.settings.get(guildId);
  checkRequester(rules, actor);
  const giveBack = deps.cooldowns.reserve(guildId, requestedBy, rules.requestCooldownSeconds);
  let added: AddResult['added'] = [];
  let found: number;
  let notQueuedReason: AddResult['notQueuedReason'] = null;
  try {
    const tracks =
      input.tracks ??
      (await deps.tracks.resolve(input.query, {
        guildId,
        limit: ADD_LIMIT,
        ...(input.provider ? { provider: input.provider } : {}),
      }));
    if (tracks.length === 0) throw new UserError('NOT_FOUND', 'Nothing playable was found for that.');
    found = tracks.length;
    const blocklist = await deps.blocklist.list(guildId);
    const allowed: TrackInput[] = [];
    let firstRefusal: UserError | null = null;
    for (const track of tracks) {
      // A track that does not parse is refused by the queue itself, in its own words.
      const parsed = trackSchema.safeParse(track);
      const refusal = parsed.success ? trackRefusal(rules, blocklist, parsed.data) : null;
      if (!refusal) allowed.push(track);
      else firstRefusal ??= refusal;
    }
    // Every track was refused: the first refusal is the answer.
    if (allowed.length === 0 && firstRefusal) throw firstRefusal;
    if (firstRefusal) notQueuedReason = { code: firstRefusal.code, message: firstRefusal.message };
    ({ added, notQueuedReason } = await queueTracks(
      deps,
      guildId,
      allowed,
      { requestedBy, requester },
      notQueuedReason,
    ));
  } catch (err) {
    giveBack();
    throw err;
  }
  const playback = await startPlayback(deps, call, input.voiceChannelId ?? actor.voiceChannelId);
  const { items, playing } = await deps.queue.all(guildId);
  const first = added[0]!;
  const ahead = items.slice(0, first.position - 1).reduce((ms, i) => ms + (i.track.durationMs ?? 0), 0);
  const playingLeft = playing && playing.id !== first.item.id ? (playing.track.durationMs ?? 0) : 0;
  return {
    added,
    notQueued: found - added.length,
    notQueuedReason,
    playback,
    nowPlaying: playing,
    estimatedWaitMs: playing?.id === first.item.id ? 0 : ahead + playingLeft,
  };
}

/** Queues tracks in order until the queue or the requester is full. */
async function queueTracks(
  deps: AddDeps,
  guildId: string,
  tracks: TrackInput[],
  by: { requestedBy: string; requester: RequestSource | undefined },
  reason: AddResult['notQueuedReason'],
): Promise<{ added: AddResult['added']; notQueuedReason: AddResult['notQueuedReason'] }> {
  const added: AddResult['added'] = [];
  let notQueuedReason = reason;
  for (const track of tracks) {
    try {
      added.push(await deps.queue.add(guildId, track, by.requestedBy, by.requester));
    } catch (err) {
      // The first track's refusal is the answer; after that, a full queue ends the playlist there.
      const limit = isUserError(err) && (err.code === 'QUEUE_FULL' || err.code === 'USER_QUEUE_LIMIT');
      if (added.length === 0 || !limit) throw err;
      notQueuedReason ??= { code: err.code, message: err.message };
      break;
    }
  }
  return { added, notQueuedReason };
}

/**
 * Starts the queue after an add: in the asker's voice channel, else in the one the bot is in, else on
 * the Spotify device when it is the device's turn.
 */
async function startPlayback(deps: AddDeps, call: Call, voiceChannelId: string | null): Promise<AddPlayback> {
  const control = deps.playback;
  if (!control) return 'waiting-for-voice';
  const status = control.status(call.guildId);
  const channelId = voiceChannelId ?? status.channelId ?? null;
  if (!channelId) return (await control.startWithoutVoice?.(call.guildId)) ? 'device' : 'waiting-for-voice';
  await control.ensurePlaying(call.guildId, channelId);
  return control.status(call.guildId).channelId ? 'voice' : 'device';
}
