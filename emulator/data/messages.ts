import type { Dataset, Extension } from './dataset.js';
import { AREAS, CALLER_NAMES } from './names.js';
import { digits, intBetween, mix, mulberry32, pick, type Rng, weighted } from './random.js';

/**
 * The message store (listMessages, readMessage, readMessageContent): SMS (some with MMS media),
 * Pager, VoiceMail and Fax messages of the account's users, a pure function of the seed like the
 * call log, spread over the 30 days before the anchor, oldest first by serial. Messages added at
 * run time (POST /__emulator/messages) are created at the emulator's present.
 */

export type MessageType = 'SMS' | 'Pager' | 'VoiceMail' | 'Fax';
const DAY_MS = 86_400_000;
/** A message's id is this plus its serial; an attachment's is the message id times 10 plus its index. */
const MESSAGE_BASE = 1_724_000_000_000;

export interface AttachmentData {
  id: number;
  type: 'Text' | 'MmsAttachment' | 'AudioRecording' | 'AudioTranscription' | 'RenderedDocument';
  contentType: string;
  size: number;
  vmDuration?: number;
  fileName?: string;
}

export interface MessageData {
  serial: number;
  id: number;
  time: number;
  type: MessageType;
  direction: 'Inbound' | 'Outbound';
  extension: Extension;
  readStatus: 'Read' | 'Unread';
  subject: string;
  /** The other party: a phone number (SMS, VoiceMail, Fax) or an extension (Pager). */
  party: { phoneNumber?: string; extensionNumber?: string; extensionId?: string; name?: string; location?: string };
  attachments: AttachmentData[];
}

const TEXTS = [
  'Running 10 minutes late, start without me',
  'Can you send the signed contract today?',
  'Thanks! The delivery arrived this morning.',
  'Please call me back about invoice 4471',
  'Meeting moved to 3pm, room B',
  'Your order #88213 has shipped',
  'Is the quote still valid for next week?',
] as const;

export class MessageStore {
  /** Creation times of messages added at run time, by serial - baseCount. */
  private readonly added: { time: number; extensionIndex: number | undefined }[] = [];
  private readonly users: Extension[];
  private readonly spacing: number;

  constructor(
    private readonly dataset: Dataset,
    private readonly seed: number,
    private readonly baseCount: number,
  ) {
    this.users = dataset.extensions.filter((ext) => ext.status === 'Enabled' && ext.directNumber && ext.type === 'User');
    this.spacing = (30 * DAY_MS) / Math.max(baseCount, 1);
  }

  get count(): number {
    return this.baseCount + this.added.length;
  }

  /** Adds messages created now (for one extension, or spread over the users); returns their ids. */
  add(count: number, now: number, extensionIndex?: number): number[] {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      this.added.push({ time: now, extensionIndex });
      ids.push(MESSAGE_BASE + this.count - 1);
    }
    return ids;
  }

  /** The serial of a message id, if it exists. */
  serialOf(id: string): number | undefined {
    if (!/^\d+$/.test(id)) return undefined;
    const serial = Number(id) - MESSAGE_BASE;
    return serial >= 0 && serial < this.count ? serial : undefined;
  }

  message(serial: number): MessageData {
    const rng = mulberry32(mix(this.seed, 0x3e55, serial));
    const extra = this.added[serial - this.baseCount];
    const time = extra ? extra.time : this.dataset.anchor - 30 * DAY_MS + Math.floor((serial + 0.5) * this.spacing);
    const type = weighted<MessageType>(rng, [
      ['SMS', 55],
      ['Pager', 10],
      ['VoiceMail', 20],
      ['Fax', 15],
    ]);
    const drawn = this.users[0] && rng() < 0.25 ? this.users[0] : pick(rng, this.users);
    const extension = extra?.extensionIndex === undefined ? drawn : (this.dataset.extensions[extra.extensionIndex] ?? drawn);
    const direction = type === 'VoiceMail' || rng() < 0.55 ? 'Inbound' : 'Outbound';
    const readStatus = rng() < 0.6 ? 'Read' : 'Unread';
    const [area, location] = pick(rng, AREAS);
    const peer = pick(rng, this.users);
    const party =
      type === 'Pager'
        ? { extensionNumber: peer.extensionNumber, extensionId: String(peer.id), name: peer.name }
        : {
            phoneNumber: `+1${area}${intBetween(rng, 2, 9)}${digits(rng, 6)}`,
            location,
            ...(rng() < 0.3 ? { name: pick(rng, CALLER_NAMES) } : {}),
          };
    const id = MESSAGE_BASE + serial;
    const subject =
      type === 'VoiceMail' ? `Voice Message from ${party.name ?? party.phoneNumber}` : type === 'Fax' ? 'Fax' : pick(rng, TEXTS);
    return { serial, id, time, type, direction, extension, readStatus, subject, party, attachments: attachmentsOf(rng, id, type, subject) };
  }

  /** The record as listMessages and readMessage return it. */
  render(message: MessageData, origin: string): Record<string, unknown> {
    const account = `${origin}/restapi/v1.0/account/${this.dataset.accountId}`;
    const box = `/restapi/v1.0/account/${this.dataset.accountId}/extension/${message.extension.id}/message-store/${message.id}`;
    const me = {
      phoneNumber: message.extension.directNumber,
      extensionNumber: message.extension.extensionNumber,
      name: message.extension.name,
    };
    const [from, to] = message.direction === 'Inbound' ? [message.party, me] : [me, message.party];
    const creationTime = new Date(message.time).toISOString();
    const record: Record<string, unknown> = {
      uri: `${origin}${box}`,
      id: message.id,
      extensionId: String(message.extension.id),
      to: [to],
      from,
      type: message.type,
      creationTime,
      readStatus: message.readStatus,
      priority: 'Normal',
      attachments: message.attachments.map((attachment) => ({
        id: attachment.id,
        uri: `${this.dataset.mediaOrigin ?? origin}${box}/content/${attachment.id}`,
        type: attachment.type,
        contentType: attachment.contentType,
        size: attachment.size,
        ...(attachment.vmDuration === undefined ? {} : { vmDuration: attachment.vmDuration }),
        ...(attachment.fileName === undefined ? {} : { fileName: attachment.fileName }),
      })),
      direction: message.direction,
      availability: 'Alive',
      subject: message.subject,
      messageStatus: message.direction === 'Inbound' ? 'Received' : message.type === 'SMS' ? 'Delivered' : 'Sent',
      lastModifiedTime: creationTime,
    };
    if (message.type === 'SMS' || message.type === 'Pager') {
      const conversationId = 7_000_000_000 + (message.serial % 97);
      record.conversationId = conversationId;
      record.conversation = { uri: `${account}/conversation/${conversationId}`, id: String(conversationId) };
    }
    if (message.type === 'SMS') record.smsSendingAttemptsCount = 1;
    if (message.type === 'VoiceMail') {
      record.vmTranscriptionStatus = message.attachments.some((a) => a.type === 'AudioTranscription') ? 'Completed' : 'NotAvailable';
    }
    if (message.type === 'Fax') {
      record.faxResolution = 'High';
      record.faxPageCount = Math.max(1, Math.round((message.attachments[0]?.size ?? 0) / 40_000));
    }
    return record;
  }

  /** An attachment's bytes: deterministic, of the size the record says. */
  content(message: MessageData, attachmentId: string): { bytes: Buffer; contentType: string } | undefined {
    const attachment = message.attachments.find((a) => String(a.id) === attachmentId);
    if (!attachment) return undefined;
    if (attachment.contentType === 'text/plain') return { bytes: textOf(message, attachment), contentType: attachment.contentType };
    const rng = mulberry32(mix(this.seed, 0xa77, attachment.id % 2_147_483_647));
    const bytes = Buffer.allocUnsafe(attachment.size);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE(Math.floor(rng() * 0x1_0000_0000) >>> 0, Math.min(i, bytes.length - 4));
    const magic = MAGIC[attachment.contentType];
    if (magic) magic.copy(bytes);
    return { bytes, contentType: attachment.contentType };
  }
}

const MAGIC: Record<string, Buffer> = {
  'application/pdf': Buffer.from('%PDF-1.4\n'),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  'audio/mpeg': Buffer.from('ID3'),
};

/** A text attachment is the message's text (SMS, Pager) or the voicemail's transcription. */
function textOf(message: MessageData, attachment: AttachmentData): Buffer {
  const text =
    attachment.type === 'AudioTranscription' ? `Hi, it's about the order, please call me back. (${message.id})` : message.subject;
  return Buffer.from(text, 'utf8');
}

function attachmentsOf(rng: Rng, id: number, type: MessageType, subject: string): AttachmentData[] {
  const at = (index: number) => id * 10 + index;
  switch (type) {
    case 'SMS': {
      const text: AttachmentData = { id: at(0), type: 'Text', contentType: 'text/plain', size: Buffer.byteLength(subject) };
      if (rng() >= 0.2) return [text];
      return [
        text,
        {
          id: at(1),
          type: 'MmsAttachment',
          contentType: 'image/jpeg',
          size: intBetween(rng, 10_000, 200_000),
          fileName: `image-${id}.jpg`,
        },
      ];
    }
    case 'Pager':
      return [{ id: at(0), type: 'Text', contentType: 'text/plain', size: Buffer.byteLength(subject) }];
    case 'VoiceMail': {
      const vmDuration = intBetween(rng, 3, 90);
      const audio: AttachmentData = {
        id: at(0),
        type: 'AudioRecording',
        contentType: 'audio/mpeg',
        size: vmDuration * 2000 + 417,
        vmDuration,
      };
      if (rng() < 0.5) return [audio];
      const transcription = `Hi, it's about the order, please call me back. (${id})`;
      return [audio, { id: at(1), type: 'AudioTranscription', contentType: 'text/plain', size: Buffer.byteLength(transcription) }];
    }
    case 'Fax':
      return [
        {
          id: at(0),
          type: 'RenderedDocument',
          contentType: 'application/pdf',
          size: intBetween(rng, 20_000, 300_000),
          fileName: `fax-${id}.pdf`,
        },
      ];
  }
}
