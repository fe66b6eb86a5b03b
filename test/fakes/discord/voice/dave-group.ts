import { randomBytes } from 'node:crypto';
import { VoiceOpcodes } from 'discord-api-types/voice/v8';
import { Leaves, VirtualMember } from './dave-member.ts';
import {
  bareKeyPackage,
  commitEpoch,
  type ExternalProposal,
  ExternalSender,
  splitCommitWelcome,
  u16,
} from './dave-mls.ts';
import type { RtpPacket } from './rtp.ts';

/** davey's `ProposalsOperationType.APPEND` (an ambient const enum, which isolated modules cannot read). */
const APPEND = 0;

/** How a guild's call looks when the bot arrives: who else is in it, and who commits the bot's arrival. */
export interface DaveCallPlan {
  /** The voice channel id: DAVE's MLS group id. */
  channelId: string;
  /** User ids of the other (virtual) members in the channel. */
  members: string[];
  /** 'bot-commits': the bot commits the Add of the others; 'welcomed': a member commits the bot's Add (op 30). */
  join?: 'bot-commits' | 'welcomed';
}

/** The bot's side of the voice connection, as the DAVE gateway needs it. */
export interface DaveLink {
  readonly userId: string;
  send(op: number, d: unknown): void;
  sendBinary(op: number, payload: Buffer): void;
  notify(): void;
}

type Committer = 'bot' | VirtualMember;

/** Proposals sent and not yet committed: who they add and remove, who is expected to commit. */
interface Flight {
  adds: (VirtualMember | 'bot')[];
  removes: string[];
  committer: Committer;
  /** This commit brings the bot into a group (its handshake ends with the transition). */
  botJoin: boolean;
}

/**
 * The DAVE half of Discord's voice gateway for one bot connection: it is the MLS external sender (op 25),
 * announces members (ops 11, 13), proposes their Add/Remove (op 27), relays the winning commit and welcome
 * (ops 28, 29, 30), runs transitions (ops 21-24) and re-adds a client that reports a bad commit or welcome
 * (op 31). The other people in the call are davey sessions (`VirtualMember`) that decrypt what the bot sends.
 */
export class DaveGroup {
  readonly plan: DaveCallPlan;
  readonly members = new Map<string, VirtualMember>();
  readonly external = new ExternalSender();
  /** Transition ids the bot reported ready for (op 23) and the fake executed (op 22), with when. */
  readonly executed: { id: number; version: number; at: number }[] = [];
  /** Transition ids the bot declared invalid (op 31). */
  readonly invalid: number[] = [];
  /** How long each time the bot (re)joined the group took, from its key package to the executed transition. */
  readonly handshakes: number[] = [];
  /** Commits the bot sent that lost (a member committed first) or did not fit the epoch. */
  ignoredCommits = 0;
  epoch = 0n;
  version = 1;
  botInGroup = false;
  private readonly link: DaveLink;
  private readonly group = new Set<VirtualMember>();
  private readonly leaves = new Leaves();
  private botKeyPackage: Buffer | null = null;
  private keyPackageAt = 0;
  private inflight: Flight | null = null;
  private readonly pending = new Map<number, { version: number; botJoin: boolean }>();
  private nextTransition = 1;
  private lastCommit: Buffer | null = null;

  constructor(link: DaveLink, plan: DaveCallPlan) {
    this.link = link;
    this.plan = plan;
    for (const id of plan.members) this.members.set(id, new VirtualMember(id, plan.channelId));
  }

  member(userId: string): VirtualMember {
    const m = this.members.get(userId);
    if (!m) throw new Error(`${userId} is not in the call`);
    return m;
  }

  // --- what the bot sends ---------------------------------------------------------------------------

  onBinary(op: number, payload: Buffer): void {
    if (op === VoiceOpcodes.DaveMlsKeyPackage) {
      // A key package means a fresh session: at the start, after op 31 and after an upgrade (op 24).
      this.botKeyPackage = bareKeyPackage(payload);
      this.keyPackageAt = performance.now();
      this.botInGroup = false;
      this.admitBot();
    } else if (op === VoiceOpcodes.DaveMlsCommitWelcome) {
      const flight = this.inflight;
      const { commit, welcome } = splitCommitWelcome(payload);
      if (flight?.committer !== 'bot' || commitEpoch(commit) !== this.epoch) {
        this.ignoredCommits += 1;
        return;
      }
      this.announce(commit, welcome);
    }
  }

  onJson(op: number, d: { transition_id?: number }): void {
    const id = d.transition_id ?? -1;
    if (op === VoiceOpcodes.DaveTransitionReady) {
      const t = this.pending.get(id);
      if (!t) return;
      this.pending.delete(id);
      this.link.send(VoiceOpcodes.DaveExecuteTransition, { transition_id: id });
      this.version = t.version;
      this.executed.push({ id, version: t.version, at: performance.now() });
      if (t.botJoin) this.handshakes.push(performance.now() - this.keyPackageAt);
    } else if (op === VoiceOpcodes.DaveMlsInvalidCommitWelcome) {
      // The client re-initialises and sends a new key package; the gateway then re-adds it (onBinary).
      this.invalid.push(id);
      this.botInGroup = false;
      this.inflight = null;
    }
  }

  /** Every frame the bot sends reaches each member in the group; the first member's result is kept. */
  onMedia(packet: RtpPacket): void {
    const frame = packet.opus;
    packet.wire = frame;
    packet.sealed = frame.length > 2 && frame[frame.length - 1] === 0xfa && frame[frame.length - 2] === 0xfa;
    let opus: Buffer | null = null;
    for (const m of this.group) {
      const heard = m.hear(this.link.userId, frame, packet.at);
      opus ??= heard;
    }
    if (opus) packet.opus = opus;
  }

  // --- what a test makes happen ---------------------------------------------------------------------

  /** Someone joins mid-call: op 11, then an external Add that `committer` ('bot' or a member id) commits. */
  join(userId: string, committer: 'bot' | string = 'bot'): VirtualMember {
    const m = new VirtualMember(userId, this.plan.channelId);
    this.members.set(userId, m);
    this.link.send(VoiceOpcodes.ClientsConnect, { user_ids: [userId] });
    m.session.setExternalSender(this.external.package());
    this.propose([{ type: 'add', keyPackage: m.keyPackage() }], [m], [], this.committer(committer));
    return m;
  }

  /** Someone leaves: op 13, then an external Remove of their leaf, committed by the bot. */
  leave(userId: string): void {
    this.members.delete(userId);
    this.link.send(VoiceOpcodes.ClientDisconnect, { user_id: userId });
    this.propose([{ type: 'remove', leafIndex: this.leaves.of(userId) }], [], [userId], 'bot');
  }

  /** Op 21 to protocol version 0; the members accept plain frames from then on. */
  downgrade(): number {
    for (const m of this.group) m.session.setPassthroughMode(true, 24);
    return this.prepareTransition(0);
  }

  /** Op 24 (epoch 1, version 1): everyone starts a new group; the bot re-initialises and sends a key package. */
  upgrade(): void {
    this.resetGroup();
    this.link.send(VoiceOpcodes.DavePrepareEpoch, { epoch: 1, protocol_version: 1 });
  }

  /** Fault: an Add for a user the gateway never announced with op 11 (the client must refuse it). */
  proposeUnannounced(userId: string): void {
    const stranger = new VirtualMember(userId, this.plan.channelId);
    stranger.session.setExternalSender(this.external.package());
    const payload = this.external.proposals(this.plan.channelId, this.epoch, [
      { type: 'add', keyPackage: stranger.keyPackage() },
    ]);
    this.link.sendBinary(VoiceOpcodes.DaveMlsProposals, payload);
  }

  /** Fault: a welcome that is not one (op 30 with random bytes under a new transition id). */
  sendInvalidWelcome(): number {
    const id = this.nextTransition++;
    this.link.sendBinary(VoiceOpcodes.DaveMlsWelcome, Buffer.concat([u16(id), randomBytes(64)]));
    return id;
  }

  /** Fault: the last commit again (made for the previous epoch) under a new transition id. */
  replayLastCommit(): number {
    if (!this.lastCommit) throw new Error('no commit yet');
    const id = this.nextTransition++;
    this.link.sendBinary(
      VoiceOpcodes.DaveMlsAnnounceCommitTransition,
      Buffer.concat([u16(id), this.lastCommit]),
    );
    return id;
  }

  // --- the gateway's moves --------------------------------------------------------------------------

  /** Brings the bot (back) into the group: a new one it commits, or the members' one by welcome. */
  private admitBot(): void {
    if (this.members.size === 0 || !this.botKeyPackage) return; // alone: nothing to agree on
    this.link.send(VoiceOpcodes.ClientsConnect, { user_ids: [...this.members.keys()] });
    this.link.sendBinary(VoiceOpcodes.DaveMlsExternalSender, this.external.package());
    const bot: ExternalProposal = { type: 'add', keyPackage: this.botKeyPackage };
    const inGroup = [...this.group];
    if (inGroup.length > 0) {
      const rejoin: ExternalProposal[] = this.leaves.has(this.link.userId)
        ? [{ type: 'remove', leafIndex: this.leaves.of(this.link.userId) }, bot]
        : [bot];
      this.propose(rejoin, ['bot'], this.leaves.has(this.link.userId) ? [this.link.userId] : [], inGroup[0]!);
      return;
    }
    const everyone = [...this.members.values()];
    for (const m of everyone) m.session.setExternalSender(this.external.package());
    if (this.plan.join === 'welcomed') {
      const [creator, ...others] = everyone;
      this.group.add(creator!);
      this.leaves.reset([creator!.userId]);
      const adds = others.map((m) => ({ type: 'add' as const, keyPackage: m.keyPackage() }));
      this.propose([bot, ...adds], ['bot', ...others], [], creator!);
    } else {
      this.leaves.reset([this.link.userId]);
      this.botInGroup = true; // its pending group of one, at epoch 0
      const adds = everyone.map((m) => ({ type: 'add' as const, keyPackage: m.keyPackage() }));
      this.propose(adds, everyone, [], 'bot', true);
    }
  }

  private propose(
    list: ExternalProposal[],
    adds: (VirtualMember | 'bot')[],
    removes: string[],
    committer: Committer,
    botJoin = adds.includes('bot'),
  ): void {
    const payload = this.external.proposals(this.plan.channelId, this.epoch, list);
    this.inflight = { adds, removes, committer, botJoin };
    let commit: Buffer | null = null;
    let welcome: Buffer | null = null;
    for (const m of this.group) {
      if (removes.includes(m.userId)) continue;
      const result = m.session.processProposals(APPEND, payload.subarray(1), this.recognized(m.userId));
      if (m === committer) {
        commit = result.commit ?? null;
        welcome = result.welcome ?? null;
      }
    }
    if (this.botInGroup) this.link.sendBinary(VoiceOpcodes.DaveMlsProposals, payload);
    if (committer !== 'bot' && commit) this.announce(commit, welcome);
  }

  /** Op 29 to those already in the group, op 30 to the newcomers, a transition for the bot. */
  private announce(commit: Buffer, welcome: Buffer | null): void {
    const flight = this.inflight!;
    this.inflight = null;
    const id = this.nextTransition++;
    for (const m of [...this.group]) {
      if (flight.removes.includes(m.userId)) this.group.delete(m);
      else m.session.processCommit(commit);
    }
    for (const added of flight.adds) {
      if (added !== 'bot') {
        added.session.processWelcome(welcome!);
        // Upgrading from version 0, as clients do: plain frames still in flight pass for a while.
        if (this.version === 0) added.session.setPassthroughMode(true, 10);
        this.group.add(added);
      }
    }
    const botJoin = flight.adds.includes('bot');
    if (botJoin) this.link.sendBinary(VoiceOpcodes.DaveMlsWelcome, Buffer.concat([u16(id), welcome!]));
    else if (this.botInGroup)
      this.link.sendBinary(VoiceOpcodes.DaveMlsAnnounceCommitTransition, Buffer.concat([u16(id), commit]));
    if (botJoin) this.botInGroup = true;
    this.pending.set(id, { version: 1, botJoin: flight.botJoin });
    this.leaves.apply(
      flight.removes,
      flight.adds.map((a) => (a === 'bot' ? this.link.userId : a.userId)),
    );
    this.epoch += 1n;
    this.lastCommit = commit;
    this.link.notify();
  }

  private prepareTransition(version: number): number {
    const id = this.nextTransition++;
    this.pending.set(id, { version, botJoin: false });
    this.link.send(VoiceOpcodes.DavePrepareTransition, { transition_id: id, protocol_version: version });
    return id;
  }

  private resetGroup(): void {
    this.group.clear();
    this.leaves.reset([]);
    this.epoch = 0n;
    this.inflight = null;
    for (const m of this.members.values()) m.reinit(this.plan.channelId);
  }

  private recognized(self: string): string[] {
    return [this.link.userId, ...this.members.keys()].filter((id) => id !== self);
  }

  private committer(who: 'bot' | string): Committer {
    return who === 'bot' ? 'bot' : this.member(who);
  }
}
