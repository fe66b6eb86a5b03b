import { UserError } from '../core/errors.ts';

/** Why YouTube would not give us a video, as far as its answer (or yt-dlp's) tells. */
export type FailureKind =
  | 'bot_check'
  | 'age_restricted'
  | 'private'
  | 'unavailable'
  | 'region'
  | 'login_required'
  | 'no_audio'
  | 'network'
  | 'other';

/** A resolver's failure with its cause; the provider turns it into a `UserError` at the end. */
export class YouTubeFailure extends Error {
  override readonly name = 'YouTubeFailure';
  readonly kind: FailureKind;

  constructor(kind: FailureKind, message: string) {
    super(message);
    this.kind = kind;
  }

  /** Whether another resolver might do better (a deleted video stays deleted). */
  get retryable(): boolean {
    return this.kind !== 'private' && this.kind !== 'unavailable';
  }
}

/**
 * Reads YouTube's own wording (playability reasons, yt-dlp's `ERROR:` lines). The bot check is
 * "Sign in to confirm you're not a bot" (with a straight or curly apostrophe), the age gate
 * "Sign in to confirm your age", so the specific phrases are tested before the generic "sign in".
 */
export function classifyYouTubeMessage(text: string): FailureKind {
  const t = text.toLowerCase();
  if (/not a bot|unusual traffic|bot detection/.test(t)) return 'bot_check';
  if (/confirm your age|age[- ]restricted|inappropriate for some users/.test(t)) return 'age_restricted';
  if (/private video|video is private/.test(t)) return 'private';
  if (/country|region|geo.?restrict/.test(t)) return 'region';
  if (/unavailable|removed|deleted|does not exist|no longer available|terminated|not found/.test(t))
    return 'unavailable';
  if (/login.?required|sign in|log in/.test(t)) return 'login_required';
  if (/enotfound|econnrefused|econnreset|etimedout|eai_again|fetch failed|socket|network/.test(t))
    return 'network';
  return 'other';
}

/** Any error from youtubei.js or a child process, with its cause worked out. */
export function toFailure(err: unknown): YouTubeFailure {
  if (err instanceof YouTubeFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  const info = (err as { info?: { error_type?: string } } | null)?.info;
  if (info?.error_type === 'LOGIN_REQUIRED') return new YouTubeFailure('login_required', message);
  if (info?.error_type === 'UNPLAYABLE') return new YouTubeFailure('unavailable', message);
  const cause = (err as { cause?: { code?: string } } | null)?.cause?.code;
  return new YouTubeFailure(classifyYouTubeMessage(`${message} ${cause ?? ''}`), message);
}

const WORDS: Record<FailureKind, string> = {
  bot_check:
    'YouTube refused this server as a suspected bot ("Sign in to confirm you\'re not a bot"). ' +
    'The bot owner can set YOUTUBE_COOKIE, or YOUTUBE_PO_TOKEN with YOUTUBE_VISITOR_DATA, or install yt-dlp.',
  age_restricted:
    'This video is age-restricted on YouTube: it plays only with the cookies of a signed-in adult account (YOUTUBE_COOKIE).',
  private: 'This YouTube video is private.',
  unavailable: 'This YouTube video is unavailable (removed, blocked, or it never existed).',
  region: 'This YouTube video is not available in the country this bot runs from.',
  login_required:
    'YouTube wants a signed-in account for this video. The bot owner can set YOUTUBE_COOKIE to play it.',
  no_audio: 'YouTube gave no audio stream for this video.',
  network: 'YouTube could not be reached from this server right now.',
  other: 'YouTube did not give me this video',
};

/** The plain-words error a member sees; private and removed videos are NOT_FOUND, the rest upstream. */
export function failureToUserError(failure: YouTubeFailure): UserError {
  const words =
    failure.kind === 'other' ? `${WORDS.other} (${failure.message.slice(0, 150)}).` : WORDS[failure.kind];
  const code = failure.retryable ? 'UPSTREAM_ERROR' : 'NOT_FOUND';
  return new UserError(code, words, { cause: failure.kind });
}
