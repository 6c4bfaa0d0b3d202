/**
 * The few pieces of RFC 6455 the load generator needs to speak NATS over a websocket: the
 * client upgrade request, masked binary frames out (RFC 6455 §5.3: every client frame is
 * masked), and a decoder for the server's unmasked frames in. No extensions are offered, so the
 * server never compresses (permessage-deflate is RFC 7692, opt-in).
 */
import { createHash, randomBytes } from 'node:crypto';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function upgradeRequest(host: string, port: number, key: string): string {
  return (
    `GET / HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`
  );
}

export function newKey(): string {
  return randomBytes(16).toString('base64');
}

/** RFC 6455 §4.2.2: the accept value the server must answer for `key`. */
export function expectedAccept(key: string): string {
  return createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
}

/**
 * Checks an HTTP upgrade response head (everything before the blank line). Returns null when it
 * is a valid 101 for `key`, else the reason.
 */
export function checkUpgradeResponse(head: string, key: string): string | null {
  const lines = head.split('\r\n');
  if (!/^HTTP\/1\.1 101 /.test(lines[0] ?? '')) return `upgrade refused: ${lines[0] ?? '(empty)'}`;
  const accept = lines.find((l) => l.toLowerCase().startsWith('sec-websocket-accept:'));
  if (!accept || accept.slice(accept.indexOf(':') + 1).trim() !== expectedAccept(key)) {
    return 'bad Sec-WebSocket-Accept';
  }
  return null;
}

/** One masked, final binary frame (opcode 2) carrying `payload`. */
export function maskedFrame(payload: Buffer, opcode = 2, maskKey: Buffer | null = null): Buffer {
  const len = payload.length;
  const headLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafeSlow(headLen + 4 + len);
  frame[0] = 0x80 | opcode;
  if (len < 126) {
    frame[1] = 0x80 | len;
  } else if (len < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(len / 2 ** 32), 2);
    frame.writeUInt32BE(len >>> 0, 6);
  }
  const maskAt = headLen;
  (maskKey ?? randomBytes(4)).copy(frame, maskAt, 0, 4);
  const m0 = frame[maskAt]!;
  const m1 = frame[maskAt + 1]!;
  const m2 = frame[maskAt + 2]!;
  const m3 = frame[maskAt + 3]!;
  const out = maskAt + 4;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    frame[out + i] = payload[i]! ^ m0;
    frame[out + i + 1] = payload[i + 1]! ^ m1;
    frame[out + i + 2] = payload[i + 2]! ^ m2;
    frame[out + i + 3] = payload[i + 3]! ^ m3;
  }
  const mask = [m0, m1, m2, m3];
  for (; i < len; i++) frame[out + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

const ST_HEAD = 0;
const ST_PAYLOAD = 1;

/**
 * Splits the server's byte stream into frames. Data frames (opcodes 0, 1, 2) are handed to
 * `onData` as views (valid during the call); a Ping is answered via `onPing`; a Close calls
 * `onClose`. Server frames must not be masked (RFC 6455 §5.1); a masked one is an error.
 */
export class WsFrameDecoder {
  onData: (data: Buffer) => void;
  onPing: (payload: Buffer) => void;
  onClose: (code: number, reason: string) => void;
  onError: (reason: string) => void;
  private state: number;
  private head: Buffer;
  private headLen: number;
  private opcode: number;
  private remaining: number;
  private control: Buffer[];

  constructor() {
    this.onData = () => {};
    this.onPing = () => {};
    this.onClose = () => {};
    this.onError = () => {};
    this.state = ST_HEAD;
    this.head = Buffer.alloc(14);
    this.headLen = 0;
    this.opcode = 0;
    this.remaining = 0;
    this.control = [];
  }

  push(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === ST_HEAD) {
        this.head[this.headLen++] = chunk[i++]!;
        const need = this.headNeeded();
        if (need < 0 || this.headLen < need) continue;
        if ((this.head[1]! & 0x80) !== 0) {
          this.onError('server frame is masked');
          return;
        }
        const len7 = this.head[1]! & 0x7f;
        this.remaining =
          len7 < 126
            ? len7
            : len7 === 126
              ? this.head.readUInt16BE(2)
              : this.head.readUInt32BE(2) * 2 ** 32 + this.head.readUInt32BE(6);
        this.opcode = this.head[0]! & 0x0f;
        this.headLen = 0;
        this.state = ST_PAYLOAD;
        if (this.remaining === 0) this.endFrame();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - i);
      const part = chunk.subarray(i, i + take);
      i += take;
      this.remaining -= take;
      if (this.opcode <= 2) this.onData(part);
      else this.control.push(Buffer.from(part));
      if (this.remaining === 0) this.endFrame();
    }
  }

  /** Header bytes needed once the first two are known, -1 while fewer than two are in. */
  private headNeeded(): number {
    if (this.headLen < 2) return -1;
    const len7 = this.head[1]! & 0x7f;
    return len7 < 126 ? 2 : len7 === 126 ? 4 : 10;
  }

  private endFrame(): void {
    this.state = ST_HEAD;
    if (this.opcode > 2) {
      const body = Buffer.concat(this.control);
      this.control = [];
      if (this.opcode === 8) {
        this.onClose(body.length >= 2 ? body.readUInt16BE(0) : 1005, body.subarray(2).toString('utf8'));
      } else if (this.opcode === 9) {
        this.onPing(body);
      }
    }
  }
}
