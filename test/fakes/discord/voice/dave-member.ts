import Davey from '@snazzah/davey';
import { bareKeyPackage } from './dave-mls.ts';

/** davey's `MediaType.AUDIO` (an ambient const enum, which isolated modules cannot read). */
const AUDIO = 0 as Davey.MediaType;

/** What one virtual member made of one frame the bot sent. */
export interface HeardFrame {
  at: number;
  /** The frame carried the DAVE trailer (`... 0xFA 0xFA`). */
  sealed: boolean;
  /** It decrypted (or, in passthrough after a downgrade, passed through) to Opus. */
  ok: boolean;
}

/**
 * Another person in the voice channel, as far as DAVE goes: a real davey `DAVESession` that joins the
 * MLS group the fake gateway runs (by welcome or by committing proposals itself) and decrypts the audio
 * the bot sends, keeping a record of every frame.
 */
export class VirtualMember {
  readonly userId: string;
  readonly session: Davey.DAVESession;
  readonly heard: HeardFrame[] = [];

  constructor(userId: string, channelId: string) {
    this.userId = userId;
    this.session = new Davey.DAVESession(1, userId, channelId);
  }

  /** A fresh key package, bare (as external Add proposals carry it). */
  keyPackage(): Buffer {
    return bareKeyPackage(this.session.getSerializedKeyPackage());
  }

  /** Starts over for a new group (after a downgrade, or when the member rejoins). */
  reinit(channelId: string): void {
    this.session.reinit(1, this.userId, channelId);
  }

  get inGroup(): boolean {
    return this.session.ready;
  }

  get failures(): number {
    return this.heard.filter((f) => !f.ok).length;
  }

  /** Decrypts one frame from `senderId`; returns the Opus, or null when it would not decrypt. */
  hear(senderId: string, frame: Buffer, at: number): Buffer | null {
    const sealed = hasDaveTrailer(frame);
    try {
      const opus = this.session.decrypt(senderId, AUDIO, frame);
      this.heard.push({ at, sealed, ok: true });
      return opus;
    } catch {
      this.heard.push({ at, sealed, ok: false });
      return null;
    }
  }

  /** Encrypts an Opus frame of its own, as this member speaking would. */
  speak(opus: Buffer): Buffer {
    return this.session.encryptOpus(opus);
  }
}

/** DAVE frames end with the magic marker 0xFAFA after the supplemental data. */
export function hasDaveTrailer(frame: Buffer): boolean {
  return frame.length > 2 && frame[frame.length - 1] === 0xfa && frame[frame.length - 2] === 0xfa;
}

/**
 * The group's leaves as the gateway sees them (user id or blank), to name a leaf in a Remove proposal:
 * MLS applies a commit's removes first, then each add takes the leftmost blank leaf (or a new one at
 * the end), and trailing blank leaves are dropped.
 */
export class Leaves {
  private list: (string | null)[] = [];

  reset(ids: string[]): void {
    this.list = [...ids];
  }

  has(userId: string): boolean {
    return this.list.includes(userId);
  }

  of(userId: string): number {
    const i = this.list.indexOf(userId);
    if (i < 0) throw new Error(`${userId} has no leaf in the group`);
    return i;
  }

  apply(removes: string[], adds: string[]): void {
    this.list = this.list.map((id) => (id && removes.includes(id) ? null : id));
    for (const id of adds) {
      const blank = this.list.indexOf(null);
      if (blank >= 0) this.list[blank] = id;
      else this.list.push(id);
    }
    while (this.list.length > 0 && this.list.at(-1) === null) this.list.pop();
  }
}
