import { createReadStream } from 'node:fs';
import { VoiceConnectionStatus } from '@discordjs/voice';
import { describe, expect, it } from 'vitest';
import { OpusClock, PacedTrack } from '../../../src/discord/voice-pacer.ts';
import { toneFile } from '../../support/tones.ts';

const SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);

/** The part of a VoiceConnection the pacer uses, recording when each packet went out. */
function fakeConnection() {
  let prepared: Buffer | undefined;
  const sent: { at: number; packet: Buffer }[] = [];
  const speaking: boolean[] = [];
  const connection = {
    state: { status: VoiceConnectionStatus.Ready },
    prepareAudioPacket(packet: Buffer) {
      prepared = packet;
      return packet;
    },
    dispatchAudio() {
      if (!prepared) return false;
      sent.push({ at: performance.now(), packet: prepared });
      prepared = undefined;
      return true;
    },
    setSpeaking(on: boolean) {
      speaking.push(on);
    },
  };
  return { connection: connection as never, sent, speaking };
}

function play(seconds: number) {
  const { connection, sent, speaking } = fakeConnection();
  const clock = new OpusClock();
  let started = false;
  const ended = new Promise<{ reason: string; error?: Error }>((resolve) => {
    const track = new PacedTrack(
      connection,
      clock,
      { stream: createReadStream(toneFile(440, seconds, 'ogg-opus')), type: 'ogg/opus' },
      {
        onStart: () => {
          started = true;
        },
        onEnd: (reason, error) => resolve({ reason, error }),
      },
    );
    void track;
  });
  return { sent, speaking, ended, started: () => started };
}

describe('the voice pacer', () => {
  it('sends every Opus frame of a song, then five silence frames, and ends it as finished', async () => {
    const { sent, speaking, ended, started } = play(1);
    expect(await ended).toEqual({ reason: 'finished', error: undefined });
    expect(started()).toBe(true);
    const audio = sent.filter((s) => !s.packet.equals(SILENCE));
    // 1 s of 20 ms frames, and the encoder's lead-in frame.
    expect(audio.length).toBeGreaterThanOrEqual(50);
    expect(audio.length).toBeLessThanOrEqual(51);
    expect(sent.slice(-5).every((s) => s.packet.equals(SILENCE))).toBe(true);
    expect(speaking.at(-1)).toBe(false);
  });

  it('after the event loop was held up, catches up without a burst: never two frames within 9 ms', async () => {
    const { sent, ended } = play(3);
    while (sent.length < 20) await new Promise((r) => setTimeout(r, 5));
    const until = performance.now() + 150; // a held-up event loop (a slow start elsewhere)
    while (performance.now() < until) {
      // busy
    }
    await ended;
    const spacing = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
    // Timers may fire up to a millisecond early; the library's cycle sent missed frames 1 ms apart.
    expect(Math.min(...spacing)).toBeGreaterThanOrEqual(9);
    expect(sent.filter((s) => !s.packet.equals(SILENCE)).length).toBeGreaterThanOrEqual(150); // nothing dropped
  });

  it('ends a song whose source fails with the error', async () => {
    const { connection } = fakeConnection();
    const { PassThrough } = await import('node:stream');
    const source = new PassThrough();
    const result = new Promise<string>((resolve) => {
      new PacedTrack(
        connection,
        new OpusClock(),
        { stream: source, type: 'ogg/opus' },
        {
          onStart: () => {},
          onEnd: (reason) => resolve(reason),
        },
      );
    });
    source.destroy(new Error('socket hang up'));
    expect(await result).toBe('error');
  });
});
