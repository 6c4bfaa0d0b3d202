// Protocol micro benchmarks: the parser over realistic read chunks (client PUB/HPUB/mixed streams,
// server MSG streams), the same with TCP-sized splits, and the MSG encoders.
// Run: npx tsc -b bench && node bench/dist/micro/run.js protocol
import {
  type OpArgs,
  OutBuffer,
  Parser,
  ParserMode,
  type ParserModeValue,
  subjectOf,
  writeMsg,
  writeMsgFromOp,
  writeMsgRange,
} from '@starling/protocol';
import { bench } from './harness.js';

/** Every chunk holds exactly this many ops, so the harness's n (1000·4^k) is a whole number of chunks. */
const OPS_PER_CHUNK = 1000;

function payload(n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(97 + (k % 26));
  return s;
}

function chunkOf(ops: string[]): Buffer {
  return Buffer.from(ops.join(''), 'latin1');
}

function repeat(op: string): Buffer {
  return chunkOf(Array.from({ length: OPS_PER_CHUNK }, () => op));
}

class Counter {
  ops = 0;
  bytes = 0;
  onOp(a: OpArgs): boolean {
    this.ops++;
    this.bytes += a.size;
    return true;
  }
  onParseError(code: number, offset: number): void {
    throw new Error(`unexpected parse error ${code} at ${offset}`);
  }
}

/** Parses `chunk` (OPS_PER_CHUNK ops; optionally cut into `splitAt`-byte reads) n / OPS_PER_CHUNK times. */
function parseCase(name: string, mode: ParserModeValue, chunk: Buffer, splitAt = 0): void {
  const counter = new Counter();
  const parser = new Parser(mode, counter);
  const pieces: Buffer[] = [];
  if (splitAt > 0) {
    for (let k = 0; k < chunk.length; k += splitAt) pieces.push(chunk.subarray(k, k + splitAt));
  } else {
    pieces.push(chunk);
  }
  bench(
    'protocol',
    name,
    (n) => {
      const reps = n / OPS_PER_CHUNK;
      for (let r = 0; r < reps; r++) for (const p of pieces) parser.parse(p);
    },
    { bytesPerOp: chunk.length / OPS_PER_CHUNK },
  );
  if (counter.ops % OPS_PER_CHUNK !== 0 || counter.ops === 0) throw new Error(`${name}: counted ${counter.ops} ops`);
}

const P16 = payload(16);
const P1K = payload(1024);
const HDR = 'NATS/1.0\r\nNats-Msg-Id: 1234\r\n\r\n';

const pub16 = repeat(`PUB foo.bar 16\r\n${P16}\r\n`);
const pub1k = repeat(`PUB foo.bar 1024\r\n${P1K}\r\n`);
const hpub = repeat(`HPUB foo.bar _INBOX.abc ${HDR.length} ${HDR.length + 16}\r\n${HDR}${P16}\r\n`);
const mixedOps: string[] = [];
for (let k = 0; k < OPS_PER_CHUNK; k++) {
  switch (k % 10) {
    case 0:
      mixedOps.push(`SUB orders.${k} q${k % 3} ${k}\r\n`);
      break;
    case 1:
      mixedOps.push(`HPUB orders.${k} ${HDR.length} ${HDR.length + 16}\r\n${HDR}${P16}\r\n`);
      break;
    case 2:
      mixedOps.push(`UNSUB ${k - 2} 10\r\n`);
      break;
    case 3:
      mixedOps.push('PING\r\n');
      break;
    case 4:
      mixedOps.push('PONG\r\n');
      break;
    case 5:
      mixedOps.push(`PUB orders.${k} _INBOX.r.${k} 128\r\n${payload(128)}\r\n`);
      break;
    default:
      mixedOps.push(`PUB orders.${k} 16\r\n${P16}\r\n`);
  }
}
const mixed = chunkOf(mixedOps);
const msg16 = repeat(`MSG foo.bar 1 16\r\n${P16}\r\n`);
const msg1k = repeat(`MSG foo.bar 1 _INBOX.x.1 1024\r\n${P1K}\r\n`);

parseCase('parse PUB 16B', ParserMode.CLIENT, pub16);
parseCase('parse PUB 1KB', ParserMode.CLIENT, pub1k);
parseCase('parse HPUB 16B+hdr', ParserMode.CLIENT, hpub);
parseCase('parse mixed client stream', ParserMode.CLIENT, mixed);
parseCase('parse PUB 16B in 1460B reads', ParserMode.CLIENT, pub16, 1460);
parseCase('parse PUB 1KB in 1460B reads', ParserMode.CLIENT, pub1k, 1460);
parseCase('parse MSG 16B (SERVER)', ParserMode.SERVER, msg16);
parseCase('parse MSG 1KB (SERVER)', ParserMode.SERVER, msg1k);

// parse + decode the subject once per PUB (what the server does on a sublist cache hit)
{
  let n = 0;
  const parser = new Parser(ParserMode.CLIENT, {
    onOp(a) {
      n += subjectOf(a).length;
      return true;
    },
    onParseError() {
      throw new Error('unexpected parse error');
    },
  });
  bench(
    'protocol',
    'parse PUB 16B + subject string',
    (count) => {
      for (let r = 0; r < count / OPS_PER_CHUNK; r++) parser.parse(pub16);
    },
    { bytesPerOp: pub16.length / OPS_PER_CHUNK },
  );
  if (n === 0) throw new Error('no subjects decoded');
}

// ---- encoders: one MSG per op into an OutBuffer, flushed (reset) every 1000 messages ----
{
  // Capture a parsed PUB's OpArgs-equivalent once (ranges into a stable buffer).
  const line = Buffer.from(`PUB foo.bar _INBOX.abc 16\r\n${P16}\r\n`, 'latin1');
  const sid = Buffer.from('12');
  const body = Buffer.from(P16, 'latin1');
  const msgLen = `MSG foo.bar 12 _INBOX.abc 16\r\n${P16}\r\n`.length;
  const out = new OutBuffer(64 * 1024);

  bench(
    'protocol',
    'encode MSG 16B writeMsgRange',
    (n) => {
      for (let k = 0; k < n; k++) {
        writeMsgRange(out, line, 4, 11, sid, 12, 22, 23, 25, line, 27, 43);
        if (out.length > 60_000) out.reset();
      }
      out.reset();
    },
    { bytesPerOp: msgLen },
  );

  bench(
    'protocol',
    'encode MSG 16B writeMsg (strings)',
    (n) => {
      for (let k = 0; k < n; k++) {
        writeMsg(out, 'foo.bar', sid, '_INBOX.abc', body);
        if (out.length > 60_000) out.reset();
      }
      out.reset();
    },
    { bytesPerOp: msgLen },
  );

  // parse + fan-out: every PUB delivered to one subscriber with writeMsgFromOp (the server hot path)
  const fanOut = new OutBuffer(64 * 1024);
  const parser = new Parser(ParserMode.CLIENT, {
    onOp(a) {
      writeMsgFromOp(fanOut, a, sid, true);
      if (fanOut.length > 60_000) fanOut.reset();
      return true;
    },
    onParseError() {
      throw new Error('unexpected parse error');
    },
  });
  bench(
    'protocol',
    'parse PUB 16B + writeMsgFromOp',
    (n) => {
      for (let r = 0; r < n / OPS_PER_CHUNK; r++) parser.parse(pub16);
    },
    { bytesPerOp: pub16.length / OPS_PER_CHUNK },
  );

  const big = Buffer.from(P1K, 'latin1');
  bench(
    'protocol',
    'encode MSG 1KB writeMsgRange',
    (n) => {
      for (let k = 0; k < n; k++) {
        writeMsgRange(out, line, 4, 11, sid, -1, -1, -1, -1, big);
        if (out.length > 60_000) out.reset();
      }
      out.reset();
    },
    { bytesPerOp: 1024 + 22 },
  );
}
