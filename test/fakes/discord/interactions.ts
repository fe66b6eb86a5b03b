import type { APIEmbed } from 'discord-api-types/v10';
import type { FakeMessage } from './state.ts';

/** What a member sees after the bot answered an interaction. */
export interface Seen {
  content: string;
  embeds: APIEmbed[];
  components: unknown[];
  ephemeral: boolean;
  deferred: boolean;
  /** The reply as a message (null for autocomplete). */
  message: FakeMessage | null;
  /** Autocomplete choices. */
  choices: { name: string; value: string | number }[];
}

/** One interaction the fake sent, and how the bot answered it. */
export class PendingInteraction {
  readonly id: string;
  readonly token: string;
  readonly guildId: string;
  readonly channelId: string;
  callbacks: { type: number; data: Record<string, unknown> | undefined }[] = [];
  message: FakeMessage | null = null;
  ephemeral = false;
  deferred = false;
  choices: { name: string; value: string | number }[] = [];
  followUps: FakeMessage[] = [];
  deletedOriginal = false;
  /** The message a component was used on (an UPDATE_MESSAGE callback edits it). */
  sourceMessageId: string | null = null;
  private settle: ((seen: Seen) => void) | null = null;
  readonly done: Promise<Seen>;

  constructor(id: string, token: string, guildId: string, channelId: string) {
    this.id = id;
    this.token = token;
    this.guildId = guildId;
    this.channelId = channelId;
    this.done = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  get settled(): boolean {
    return this.settle === null;
  }

  /** The bot's answer is final: a reply, an update, autocomplete choices, or the edit of a deferral. */
  finish(): void {
    this.settle?.({
      content: this.message?.content ?? '',
      embeds: this.message?.embeds ?? [],
      components: this.message?.components ?? [],
      ephemeral: this.ephemeral,
      deferred: this.deferred,
      message: this.message,
      choices: this.choices,
    });
    this.settle = null;
  }
}
