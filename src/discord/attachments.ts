import type { Attachment } from 'discord.js';
import { UserError } from '../core/errors.ts';

/** How long a download from Discord's CDN may take. */
const DOWNLOAD_TIMEOUT_MS = 15_000;

/**
 * The bytes of a file a member attached to a command, refused before any download when Discord says
 * it is over `maxBytes`, and cut off if the CDN sends more than that after all.
 * @throws UserError PAYLOAD_TOO_LARGE, UPSTREAM_ERROR (the CDN failed)
 */
export async function readAttachment(attachment: Attachment, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = (bytes: number) =>
    new UserError(
      'PAYLOAD_TOO_LARGE',
      `The file is ${Math.ceil(bytes / 1024)} KB; the most an import takes is ${Math.floor(maxBytes / 1024)} KB. Nothing was imported.`,
      { bytes, max_bytes: maxBytes },
    );
  if (attachment.size > maxBytes) throw tooLarge(attachment.size);
  let response: Response;
  try {
    response = await fetch(attachment.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch {
    throw new UserError('UPSTREAM_ERROR', 'Discord did not hand over the file; try attaching it again.');
  }
  if (!response.ok || !response.body) {
    throw new UserError(
      'UPSTREAM_ERROR',
      `Discord answered ${response.status} for the file; try attaching it again.`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw tooLarge(size);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
