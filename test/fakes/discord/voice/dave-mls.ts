import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/**
 * The few pieces of MLS 1.0 (RFC 9420) framing the fake voice gateway needs to act as DAVE's external
 * sender: the TLS presentation language with QUIC-style variable-length vectors, signed external
 * proposals, and a reader that finds where the commit ends in a client's op 28 (commit and welcome are
 * concatenated there without a length prefix).
 */

const MLS_VERSION = 1;
const WIRE_PUBLIC = 1;
const WIRE_KEY_PACKAGE = 5;
const SENDER_MEMBER = 1;
const SENDER_EXTERNAL = 2;
const CONTENT_PROPOSAL = 2;
const CONTENT_COMMIT = 3;
const PROPOSAL_ADD = 1;
const PROPOSAL_REMOVE = 3;

/** Writes TLS-encoded values; `vector` prefixes bytes with their MLS variable-length size. */
export class TlsWriter {
  private readonly parts: Buffer[] = [];

  u8(n: number): this {
    this.parts.push(Buffer.from([n]));
    return this;
  }

  u16(n: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    this.parts.push(b);
    return this;
  }

  u32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.parts.push(b);
    return this;
  }

  u64(n: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(n);
    this.parts.push(b);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  vector(bytes: Uint8Array): this {
    const n = bytes.length;
    if (n < 0x40) this.u8(n);
    else if (n < 0x4000) this.u16(0x4000 | n);
    else this.u32(0x80000000 | n);
    return this.raw(bytes);
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Reads TLS-encoded values; throws a RangeError past the end. */
export class TlsReader {
  offset = 0;
  private readonly buf: Buffer;

  constructor(buf: Buffer, offset = 0) {
    this.buf = buf;
    this.offset = offset;
  }

  u8(): number {
    return this.buf.readUInt8(this.advance(1));
  }

  u16(): number {
    return this.buf.readUInt16BE(this.advance(2));
  }

  u32(): number {
    return this.buf.readUInt32BE(this.advance(4));
  }

  u64(): bigint {
    return this.buf.readBigUInt64BE(this.advance(8));
  }

  vector(): Buffer {
    const first = this.buf.readUInt8(this.offset);
    const prefix = first >> 6;
    let n: number;
    if (prefix === 0) n = this.u8();
    else if (prefix === 1) n = this.u16() & 0x3fff;
    else if (prefix === 2) n = this.u32() & 0x3fffffff;
    else throw new RangeError('invalid MLS vector length');
    const start = this.advance(n);
    return this.buf.subarray(start, start + n);
  }

  private advance(n: number): number {
    const at = this.offset;
    if (at + n > this.buf.length) throw new RangeError('MLS message ends early');
    this.offset += n;
    return at;
  }
}

/** A u16 big-endian, as transition ids are sent in ops 29 and 30. */
export function u16(n: number): Buffer {
  return new TlsWriter().u16(n).done();
}

/** A Discord user id as DAVE's MLS identity (u64 big-endian); the group id is the channel id the same way. */
export function snowflakeBytes(id: string): Buffer {
  return new TlsWriter().u64(BigInt(id)).done();
}

/** Op 26 carries a KeyPackage, bare (davey 0.1.12) or wrapped in an MLSMessage (the spec): unwrap it. */
export function bareKeyPackage(payload: Buffer): Buffer {
  if (
    payload.length > 4 &&
    payload.readUInt16BE(0) === MLS_VERSION &&
    payload.readUInt16BE(2) === WIRE_KEY_PACKAGE
  )
    return payload.subarray(4);
  return payload;
}

/** Where an MLSMessage PublicMessage carrying a member's commit ends in `buf` (op 28 = commit then welcome). */
export function commitEnd(buf: Buffer): number {
  const r = new TlsReader(buf);
  if (r.u16() !== MLS_VERSION || r.u16() !== WIRE_PUBLIC)
    throw new Error('op 28 does not start with a public message');
  r.vector(); // group_id
  r.u64(); // epoch
  const senderType = r.u8();
  if (senderType === SENDER_MEMBER || senderType === SENDER_EXTERNAL) r.u32();
  r.vector(); // authenticated_data
  if (r.u8() !== CONTENT_COMMIT) throw new Error('op 28 does not start with a commit');
  r.vector(); // proposals (ProposalOrRef, by value or by reference)
  if (r.u8() === 1) {
    // UpdatePath { LeafNode leaf_node; UpdatePathNode nodes<V>; }
    r.vector(); // encryption_key
    r.vector(); // signature_key
    const credentialType = r.u16();
    if (credentialType !== 1) throw new Error(`unexpected credential type ${credentialType}`);
    r.vector(); // identity
    for (let i = 0; i < 5; i++) r.vector(); // capabilities: versions, ciphersuites, extensions, proposals, credentials
    const source = r.u8();
    if (source === 1) {
      r.u64();
      r.u64();
    } else if (source === 3) r.vector(); // parent_hash
    r.vector(); // extensions
    r.vector(); // signature
    r.vector(); // nodes
  }
  r.vector(); // signature
  r.vector(); // confirmation_tag
  if (senderType === SENDER_MEMBER) r.vector(); // membership_tag
  return r.offset;
}

/** Splits a client's op 28 payload into its commit and (when someone was added) its welcome. */
export function splitCommitWelcome(payload: Buffer): { commit: Buffer; welcome: Buffer | null } {
  const end = commitEnd(payload);
  return { commit: payload.subarray(0, end), welcome: end < payload.length ? payload.subarray(end) : null };
}

/** The epoch a commit was made in (to check op 28 against the group, and to forge a stale one). */
export function commitEpoch(commit: Buffer): bigint {
  const r = new TlsReader(commit, 4);
  r.vector();
  return r.u64();
}

export type ExternalProposal = { type: 'add'; keyPackage: Buffer } | { type: 'remove'; leafIndex: number };

/**
 * The voice gateway's MLS identity: a P-256 signing key made with node:crypto. It serializes itself as
 * DAVE's op 25 payload and signs external Add/Remove proposals the members check against it.
 */
export class ExternalSender {
  private readonly privateKey: KeyObject;
  readonly publicKey: Buffer;
  readonly identity: Buffer;

  constructor(identity = Buffer.from('fake-voice-gateway')) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    // An SPKI for P-256 ends with the 65-byte uncompressed point MLS uses as SignaturePublicKey.
    this.publicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    this.identity = identity;
  }

  /** Op 25: ExternalSender { SignaturePublicKey signature_key; Credential { basic, identity } }. */
  package(): Buffer {
    return new TlsWriter().vector(this.publicKey).u16(1).vector(this.identity).done();
  }

  /** One MLSMessage (PublicMessage from external sender 0) carrying a signed proposal for `epoch`. */
  proposal(channelId: string, epoch: bigint, proposal: ExternalProposal): Buffer {
    const body = new TlsWriter();
    if (proposal.type === 'add') body.u16(PROPOSAL_ADD).raw(proposal.keyPackage);
    else body.u16(PROPOSAL_REMOVE).u32(proposal.leafIndex);
    const content = new TlsWriter()
      .vector(snowflakeBytes(channelId))
      .u64(epoch)
      .u8(SENDER_EXTERNAL)
      .u32(0)
      .vector(Buffer.alloc(0))
      .u8(CONTENT_PROPOSAL)
      .raw(body.done())
      .done();
    const tbs = new TlsWriter().u16(MLS_VERSION).u16(WIRE_PUBLIC).raw(content).done();
    const signContent = new TlsWriter().vector(Buffer.from('MLS 1.0 FramedContentTBS')).vector(tbs).done();
    const signature = sign('sha256', signContent, this.privateKey); // DER, as MLS wants for ECDSA
    return new TlsWriter().u16(MLS_VERSION).u16(WIRE_PUBLIC).raw(content).vector(signature).done();
  }

  /** Op 27 append payload: `[u8 0][MLSMessage proposal_messages<V>]`. */
  proposals(channelId: string, epoch: bigint, list: ExternalProposal[]): Buffer {
    const messages = Buffer.concat(list.map((p) => this.proposal(channelId, epoch, p)));
    return new TlsWriter().u8(0).vector(messages).done();
  }
}
