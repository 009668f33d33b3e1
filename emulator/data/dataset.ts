import { AREAS, CALLER_NAMES, FIRST_NAMES, INTERNATIONAL, LAST_NAMES, NON_USER_TYPES, REASON_DESCRIPTIONS } from './names.js';
import { digits, intBetween, mix, mulberry32, pick, type Rng, token, weighted } from './random.js';

/**
 * The account's data: a pure function of the seed and the anchor instant.
 * Call-log records are rendered on demand from (seed, serial), so 200,000 records cost no memory.
 */

export interface Extension {
  index: number;
  id: number;
  extensionNumber: string;
  name: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  type: string;
  status: string;
  admin: boolean;
  /** The user permission the company call log needs (admins usually have it; 103 and 104 are the exceptions). */
  fullCompanyCallLog: boolean;
  directNumber?: string;
  creationTime: string;
}

export interface Login {
  email: string;
  password: string;
  extensionIndex: number;
}

/** The cheap attributes of a call, enough to filter on without rendering the record. */
export interface CallAttributes {
  serial: number;
  time: number;
  type: 'Voice' | 'Fax';
  direction: 'Inbound' | 'Outbound';
  extension: Extension;
  transport: 'PSTN' | 'VoIP';
  result: string;
  reason: string | undefined;
  external: { phoneNumber: string; location: string };
  international: boolean;
  recording: 'Automatic' | 'OnDemand' | undefined;
}

export type CallView = 'Simple' | 'Detailed';
const DAY_MS = 86_400_000;
/** A generated call's recording id is this plus its serial (ids added later: see lifecycle.ts). */
export const RECORDING_BASE = 1_000_000_000;
/** The id of a recording an inbound call's accepting leg carries of its own: this plus the serial. */
export const LEG_RECORDING_BASE = 3_000_000_000;

/** Whether a recorded inbound voice call's accepting leg has its own recording (Detailed view): one in four. */
export function hasLegRecording(call: CallAttributes): boolean {
  return call.recording !== undefined && call.direction === 'Inbound' && call.type === 'Voice' && call.serial % 4 === 0;
}

/**
 * The four users tests rely on: 101 an admin with FullCompanyCallLog (the demo user), 102 neither,
 * 103 an admin without FullCompanyCallLog, 104 not an admin but with it. Later users: one in ten is
 * an admin, with the permission.
 */
function userPermissions(index: number, rng: Rng): { admin: boolean; fullCompanyCallLog: boolean } {
  const fixed = [
    { admin: true, fullCompanyCallLog: true },
    { admin: false, fullCompanyCallLog: false },
    { admin: true, fullCompanyCallLog: false },
    { admin: false, fullCompanyCallLog: true },
  ][index];
  if (fixed) return fixed;
  const admin = rng() < 0.1;
  return { admin, fullCompanyCallLog: admin };
}

export class Dataset {
  readonly accountId: number;
  readonly mainNumber: string;
  readonly companyName = 'Example Widgets Inc.';
  readonly extensions: Extension[];
  readonly logins: Login[];
  /** The media entry point's origin (recording content), once it listens. */
  mediaOrigin: string | undefined;
  /** Start times of calls added at run time, by serial - baseCallCount (insertion order). */
  private readonly appendedTimes: number[] = [];
  /** Serials of added calls, newest first (by start time, then serial). */
  private readonly appendedNewestFirst: number[] = [];
  private readonly callers: Extension[];
  private readonly spacing: number;

  constructor(
    private readonly seed: number,
    extensionCount: number,
    private readonly baseCallCount: number,
    /** The data set's present: generated calls are spread over the 30 days before it. */
    readonly anchor: number,
    /** The share of answered calls that are recorded (the draw is the same whatever it is). */
    private readonly recordingShare = 0.15,
  ) {
    const rng = mulberry32(mix(seed, 0xacc));
    this.accountId = 400_000_000_000 + intBetween(rng, 1_000_000, 99_999_999);
    this.mainNumber = `+1650555${digits(rng, 4)}`;
    this.extensions = Array.from({ length: extensionCount }, (_, index) => this.makeExtension(index, extensionCount));
    this.logins = [
      { email: 'demo@example.com', password: 'demo-password', extensionIndex: 0 },
      { email: 'user@example.com', password: 'user-password', extensionIndex: 1 },
    ];
    this.callers = this.extensions.filter((ext) => ext.status === 'Enabled' && ext.directNumber);
    this.spacing = (30 * DAY_MS) / Math.max(baseCallCount, 1);
  }

  private makeExtension(index: number, total: number): Extension {
    const rng = mulberry32(mix(this.seed, 0xe47, index));
    const id = 62_000_000_000 + index * 1009 + intBetween(rng, 0, 999);
    const creationTime = new Date(this.anchor - intBetween(rng, 60, 900) * DAY_MS).toISOString();
    const base = { index, id, extensionNumber: String(101 + index), creationTime };
    const userShare = Math.ceil(0.7 * total);
    if (index < 2 || index < userShare) {
      const firstName = index === 0 ? 'Alex' : pick(rng, FIRST_NAMES);
      const lastName = index === 0 ? 'Morgan' : pick(rng, LAST_NAMES);
      const status =
        index < 4
          ? 'Enabled'
          : weighted(rng, [
              ['Enabled', 85],
              ['Disabled', 6],
              ['NotActivated', 9],
            ]);
      const email =
        index === 0 ? 'demo@example.com' : index === 1 ? 'user@example.com' : `${firstName}.${lastName}${index}@example.com`.toLowerCase();
      return {
        ...base,
        name: `${firstName} ${lastName}`,
        firstName,
        lastName,
        email,
        type: 'User',
        status,
        ...userPermissions(index, rng),
        directNumber: `+1650555${String(1000 + index * 7).slice(-4)}`,
      };
    }
    const [type, name] = NON_USER_TYPES[(index - userShare) % NON_USER_TYPES.length] ?? ['Department', 'Queue'];
    const status = weighted(rng, [
      ['Enabled', 90],
      ['Unassigned', 10],
    ]);
    const directNumber = type === 'Department' || type === 'FaxUser' ? `+1650555${String(5000 + index).slice(-4)}` : undefined;
    return { ...base, name, type, status, admin: false, fullCompanyCallLog: false, ...(directNumber ? { directNumber } : {}) };
  }

  extensionById(id: string): Extension | undefined {
    return this.extensions.find((ext) => String(ext.id) === id);
  }

  // ---- call log ---------------------------------------------------------------------------

  /** Number of calls, appended ones included. */
  get callCount(): number {
    return this.baseCallCount + this.appendedTimes.length;
  }

  /** Adds `count` calls that started at `start` (any time: they take their place by start time); returns their serials. */
  addCalls(count: number, start: number): number[] {
    const serials: number[] = [];
    for (let i = 0; i < count; i++) {
      const serial = this.baseCallCount + this.appendedTimes.length;
      this.appendedTimes.push(start);
      // Newest first: after every added call that starts later (or at the same time: a higher serial comes first).
      const at = this.countAppendedFrom(start + 1);
      this.appendedNewestFirst.splice(at, 0, serial);
      serials.push(serial);
    }
    return serials;
  }

  /** Whether `serial` names a call (base or added). */
  hasSerial(serial: number): boolean {
    return Number.isInteger(serial) && serial >= 0 && serial < this.callCount;
  }

  /** Serial of the record at newest-first position `position` (order: start time, then serial, both descending). */
  serialAt(position: number): number {
    const added = this.appendedNewestFirst;
    if (added.length === 0) return position;
    const base = this.baseCallCount;
    // j added calls and position - j base calls come before `position`: the smallest j that fits.
    let low = Math.max(0, position - base);
    let high = Math.min(position, added.length);
    while (low < high) {
      const j = (low + high) >>> 1;
      if (position - j === 0 || this.before(position - j - 1, added[j] ?? 0)) high = j;
      else low = j + 1;
    }
    const candidate = added[low];
    const baseSerial = position - low;
    if (candidate === undefined) return baseSerial;
    if (baseSerial >= base || this.before(candidate, baseSerial)) return candidate;
    return baseSerial;
  }

  /** Whether call `a` comes before call `b` newest first. */
  private before(a: number, b: number): boolean {
    const [ta, tb] = [this.timeOf(a), this.timeOf(b)];
    return ta > tb || (ta === tb && a > b);
  }

  timeOf(serial: number): number {
    if (serial >= this.baseCallCount) {
      const time = this.appendedTimes[serial - this.baseCallCount];
      if (time === undefined) throw new RangeError(`no call with serial ${serial}`);
      return time;
    }
    const jitter = mulberry32(mix(this.seed, 0xca11, serial))() * 0.9 - 0.45;
    return Math.round(this.anchor - (serial + 0.5 + jitter) * this.spacing);
  }

  /** Newest-first positions [start, end) of calls with from <= startTime < to. */
  positionRange(from: number, to: number): [number, number] {
    return [this.countFrom(to), this.countFrom(from)];
  }

  /** How many calls start at or after `time`. */
  private countFrom(time: number): number {
    return this.countAppendedFrom(time) + this.countBaseFrom(time);
  }

  private countAppendedFrom(time: number): number {
    const added = this.appendedNewestFirst;
    let low = 0;
    let high = added.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.timeOf(added[mid] ?? 0) < time) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** Base calls get older as their serial grows. */
  private countBaseFrom(time: number): number {
    let low = 0;
    let high = this.baseCallCount;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.timeOf(mid) < time) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  attributes(serial: number): CallAttributes {
    return this.drawAttributes(serial, this.callRng(serial));
  }

  private callRng(serial: number): Rng {
    const rng = mulberry32(mix(this.seed, 0xca11, serial));
    rng(); // the jitter draw used by timeOf()
    return rng;
  }

  private drawAttributes(serial: number, rng: Rng): CallAttributes {
    const type = rng() < 0.07 ? 'Fax' : 'Voice';
    const direction = rng() < 0.55 ? 'Inbound' : 'Outbound';
    const owner = this.callers[0];
    const extension = rng() < 0.2 && owner ? owner : pick(rng, this.callers);
    const transport = type === 'Fax' || rng() < 0.8 ? 'PSTN' : 'VoIP';
    const [result, reason] = drawResult(rng, type, direction);
    const international = direction === 'Outbound' && type === 'Voice' && rng() < 0.05;
    const [code, location] = international ? pick(rng, INTERNATIONAL) : pick(rng, AREAS);
    const phoneNumber = international ? `${code}20${digits(rng, 8)}` : `+1${code}${intBetween(rng, 2, 9)}${digits(rng, 6)}`;
    const answered = result === 'Accepted' || result === 'Call connected';
    const recording = answered && rng() < this.recordingShare ? (rng() < 0.7 ? 'Automatic' : 'OnDemand') : undefined;
    return {
      serial,
      time: this.timeOf(serial),
      type,
      direction,
      extension,
      transport,
      result,
      reason,
      external: { phoneNumber, location },
      international,
      recording,
    };
  }

  sessionIdOf(serial: number): string {
    return String(4_000_000_000 + serial * 13 + (this.seed % 13));
  }

  /** The call's telephony session id, cheap to compute so it can be filtered on. */
  telephonySessionIdOf(serial: number): string {
    const rng = mulberry32(mix(this.seed, 0x75e, serial));
    return `s-a0${digits(rng, 3)}${token(rng, 22).toLowerCase()}Z`;
  }

  /** The draws every rendering starts with (the rest of the record continues from `rng`). */
  private drawCore(serial: number) {
    const rng = this.callRng(serial);
    const call = this.drawAttributes(serial, rng);
    const id = `${token(rng, 4)}${serial.toString(36).padStart(6, '0')}${token(rng, 5)}`;
    const duration = drawDuration(rng, call);
    const durationMs = duration * 1000 + intBetween(rng, 0, 999);
    return { rng, call, id, duration, durationMs };
  }

  /** How long a call of the generated history lasted (added calls get theirs from the lifecycle). */
  durationMsOf(serial: number): number {
    return this.drawCore(serial).durationMs;
  }

  /** The serial a record id names, if it names one (ids carry the serial in base 36). */
  serialOfId(id: string): number | undefined {
    const serial = Number.parseInt(id.slice(4, 10), 36);
    if (!this.hasSerial(serial) || this.drawCore(serial).id !== id) return undefined;
    return serial;
  }

  /** A CallLogRecord as the spec describes it, with absolute URIs under `origin`. */
  renderCall(serial: number, view: CallView, origin: string, scope: 'account' | 'extension'): Record<string, unknown> {
    const { rng, call, id, duration, durationMs } = this.drawCore(serial);
    const account = `${origin}/restapi/v1.0/account/${this.accountId}`;
    const ext = call.extension;
    const sessionId = this.sessionIdOf(serial);
    const telephonySessionId = this.telephonySessionIdOf(serial);
    const external = {
      phoneNumber: call.external.phoneNumber,
      location: call.external.location,
      ...(rng() < 0.4 ? { name: pick(rng, CALLER_NAMES) } : {}),
    };
    const internal = {
      phoneNumber: ext.directNumber ?? this.mainNumber,
      extensionNumber: ext.extensionNumber,
      extensionId: String(ext.id),
      name: ext.name,
    };
    const [from, to] =
      call.direction === 'Inbound'
        ? [
            { ...external, dialerPhoneNumber: external.phoneNumber },
            { ...internal, dialedPhoneNumber: internal.phoneNumber },
          ]
        : [internal, { ...external, dialedPhoneNumber: external.phoneNumber }];
    const startTime = new Date(call.time).toISOString();
    const uriBase = scope === 'account' ? account : `${account}/extension/${ext.id}`;
    const record: Record<string, unknown> = {
      uri: `${uriBase}/call-log/${id}?view=${view}`,
      id,
      sessionId,
      startTime,
      duration,
      durationMs,
      type: call.type,
      internalType: call.direction === 'Inbound' ? 'LocalNumber' : call.international ? 'International' : 'LongDistance',
      direction: call.direction,
      action: drawAction(rng, call),
      result: call.result,
      to,
      from,
      extension: { uri: `${account}/extension/${ext.id}`, id: ext.id },
      telephonySessionId,
      partyId: `p-a0${digits(rng, 3)}${token(rng, 16).toLowerCase()}-1`,
      transport: call.transport,
    };
    if (call.reason) {
      record.reason = call.reason;
      const description = REASON_DESCRIPTIONS[call.reason];
      if (description) record.reasonDescription = description;
    }
    if (call.recording) {
      digits(rng, 10); // the draw an earlier id used: the rest of the record stays as it was
      const recordingId = String(RECORDING_BASE + serial);
      record.recording = {
        id: recordingId,
        uri: `${account}/recording/${recordingId}`,
        type: call.recording,
        // Content is served by the media entry point (its own origin), as on the platform.
        contentUri: `${this.mediaOrigin ?? origin}/restapi/v1.0/account/${this.accountId}/recording/${recordingId}/content`,
      };
    }
    const messageType = call.type === 'Fax' ? 'Fax' : call.result === 'Voicemail' ? 'VoiceMail' : undefined;
    if (messageType) {
      const messageId = digits(rng, 11);
      record.message = { id: messageId, type: messageType, uri: `${account}/extension/${ext.id}/message-store/${messageId}` };
    }
    if (view === 'Detailed') {
      record.lastModifiedTime = new Date(call.time + durationMs + 30_000).toISOString();
      record.billing = { costIncluded: 0, costPurchased: call.international ? Math.round(duration * 0.9) / 100 : 0 };
      record.legs = this.renderLegs(record, call, account);
    }
    return record;
  }

  private renderLegs(record: Record<string, unknown>, call: CallAttributes, account: string): Record<string, unknown>[] {
    const common = {
      startTime: record.startTime,
      type: record.type,
      internalType: record.internalType,
      action: record.action,
      direction: record.direction,
      result: record.result,
      duration: record.duration,
      durationMs: record.durationMs,
      from: record.from,
      to: record.to,
      extension: record.extension,
      telephonySessionId: record.telephonySessionId,
      partyId: record.partyId,
      transport: record.transport,
      ...(record.reason ? { reason: record.reason, reasonDescription: record.reasonDescription } : {}),
    };
    const masterType = call.type === 'Fax' ? 'FaxSent' : call.direction === 'Inbound' ? 'PstnToSip' : 'SipToPstnMetered';
    const recording = record.recording as { contentUri: string } | undefined;
    const legs: Record<string, unknown>[] = [{ ...common, legType: masterType, master: true, ...(recording ? { recording } : {}) }];
    if (call.direction === 'Inbound' && call.type === 'Voice') {
      const accept: Record<string, unknown> = { ...common, transport: 'VoIP', legType: 'Accept', master: false };
      if (recording && hasLegRecording(call)) {
        const id = String(LEG_RECORDING_BASE + call.serial);
        const mediaOrigin = new URL(recording.contentUri).origin;
        accept.recording = {
          id,
          uri: `${account}/recording/${id}`,
          type: 'Automatic',
          contentUri: `${mediaOrigin}/restapi/v1.0/account/${this.accountId}/recording/${id}/content`,
        };
      }
      legs.push(accept);
    }
    return legs;
  }
}

function drawResult(rng: Rng, type: 'Voice' | 'Fax', direction: 'Inbound' | 'Outbound'): [string, string | undefined] {
  if (type === 'Fax') {
    return direction === 'Inbound'
      ? weighted<[string, string | undefined]>(rng, [
          [['Received', undefined], 9],
          [['Receive Error', 'Fax Not Received'], 1],
        ])
      : weighted<[string, string | undefined]>(rng, [
          [['Sent', undefined], 85],
          [['Send Error', 'Fax Send Error'], 15],
        ]);
  }
  return direction === 'Inbound'
    ? weighted<[string, string | undefined]>(rng, [
        [['Accepted', 'Accepted'], 55],
        [['Missed', 'No Answer'], 20],
        [['Voicemail', 'Not Answered'], 15],
        [['Hang Up', 'Hang Up'], 8],
        [['Blocked', undefined], 2],
      ])
    : weighted<[string, string | undefined]>(rng, [
        [['Call connected', 'Connected'], 70],
        [['No Answer', 'Not Answered'], 12],
        [['Busy', 'Line Busy'], 8],
        [['Wrong Number', 'Wrong Number'], 3],
        [['Hang Up', 'Hang Up'], 7],
      ]);
}

function drawAction(rng: Rng, call: CallAttributes): string {
  if (call.type === 'Fax') return call.direction === 'Inbound' ? 'Incoming Fax' : 'Outgoing Fax';
  if (call.direction === 'Inbound') return 'Phone Call';
  return weighted(rng, [
    ['VoIP Call', 60],
    ['Phone Call', 30],
    ['RingOut Web', 10],
  ]);
}

function drawDuration(rng: Rng, call: CallAttributes): number {
  if (call.type === 'Fax') return intBetween(rng, 20, 300);
  switch (call.result) {
    case 'Accepted':
    case 'Call connected':
      return Math.round(15 + 2400 * rng() ** 3);
    case 'Voicemail':
      return intBetween(rng, 12, 120);
    default:
      return intBetween(rng, 0, 35);
  }
}
