import { createDecipheriv } from 'node:crypto';

export interface RtpPacket {
  /** When the fake received it (ms, monotonic). */
  at: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** The decrypted Opus frame (under DAVE: as the first virtual member decrypted it, else as sent). */
  opus: Buffer;
  /** Under DAVE: the frame arrived end-to-end encrypted (it carried the `0xFA 0xFA` trailer). */
  sealed?: boolean;
  /** Under DAVE: the frame as it came (sealed or not), before any member decrypted it. */
  wire?: Buffer;
}

/**
 * Opens one `aead_aes256_gcm_rtpsize` packet: `[12-byte RTP header (+4-byte extension header when X is
 * set)][ciphertext][16-byte tag][4-byte counter]`; nonce = counter + 8 zero bytes; AAD = the header.
 * Returns null for a packet that does not decrypt.
 */
export function openPacket(packet: Buffer, key: Buffer, at: number): RtpPacket | null {
  if (packet.length < 12 + 16 + 4) return null;
  const extension = (packet[0]! & 0x10) !== 0;
  const csrcCount = packet[0]! & 0x0f;
  const headerLength = 12 + csrcCount * 4 + (extension ? 4 : 0);
  const header = packet.subarray(0, headerLength);
  const nonce = Buffer.alloc(12);
  packet.copy(nonce, 0, packet.length - 4);
  const tag = packet.subarray(packet.length - 20, packet.length - 4);
  const ciphertext = packet.subarray(headerLength, packet.length - 20);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(header);
    decipher.setAuthTag(tag);
    let opus = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    if (extension) {
      // The extension body (length in 32-bit words, from the unencrypted extension header) is encrypted.
      const words = header.readUInt16BE(headerLength - 2);
      opus = opus.subarray(words * 4);
    }
    return {
      at,
      sequence: packet.readUInt16BE(2),
      timestamp: packet.readUInt32BE(4),
      ssrc: packet.readUInt32BE(8),
      opus,
    };
  } catch {
    return null;
  }
}

/** The Opus silence frame Discord clients send (five of them) when a stream ends. */
export function isSilence(opus: Buffer): boolean {
  return opus.length === 3 && opus[0] === 0xf8 && opus[1] === 0xff && opus[2] === 0xfe;
}
