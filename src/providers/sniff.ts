import { PassThrough, type Readable } from 'node:stream';

/**
 * Reads the first bytes of a stream without losing them: resolves with those bytes and a stream that
 * still starts at the beginning.
 */
export async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const out = new PassThrough();
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= bytes) done();
    };
    const done = () => {
      stream.off('data', onData);
      stream.off('end', done);
      stream.off('error', onError);
      stream.pause();
      resolve();
    };
    const onError = (err: Error) => {
      stream.off('data', onData);
      reject(err);
    };
    stream.on('data', onData);
    stream.once('end', done);
    stream.once('error', onError);
  });
  const head = Buffer.concat(chunks);
  out.write(head);
  stream.pipe(out);
  stream.resume();
  stream.once('error', (err) => out.destroy(err));
  return { head, stream: out };
}

/** What the first bytes say the audio is: Ogg with Opus, WebM/Matroska with Opus, or anything else. */
export function containerOf(head: Buffer): 'ogg/opus' | 'webm/opus' | 'arbitrary' {
  if (head.subarray(0, 4).toString('latin1') === 'OggS' && head.includes('OpusHead')) return 'ogg/opus';
  if (head.readUInt32BE(0) === 0x1a45dfa3 && head.includes('A_OPUS')) return 'webm/opus';
  return 'arbitrary';
}
