/** Messages between the bench and its world process (`child.ts`). */
export type WorldRequest =
  | { cmd: 'commands' }
  | { cmd: 'guilds'; count: number }
  | { cmd: 'burst'; source: 'mp3' | 'ogg'; windowMs: number; timeoutMs: number };

export type WorldReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface WorldInfo {
  apiUrl: string;
  token: string;
  caBundle: string;
  urls: { mp3: string; ogg: string };
}

export interface BurstResult {
  guilds: number;
  /** Streams whose first audio packet arrived before the timeout. */
  started: number;
  /** Per started stream: /play sent -> first audio packet at the voice server. */
  firstMs: number[];
  /** Audio packets in each stream's window (from its first packet), summed. */
  packets: number;
  /** What real time allows in those windows (one per 20 ms). */
  expectedPackets: number;
  gapsOver40: number;
  maxGapMs: number;
  /** From the first /play to the end of the last window. */
  elapsedMs: number;
  failures: string[];
  /** Audio packets in each started stream's window. */
  perStream: number[];
}
