/**
 * INTERIM: a minimal reader for what a server sends a client (INFO MSG PING PONG +OK -ERR), with
 * the same handler contract and field names as @starling/protocol's Parser in SERVER mode. It
 * is only here until that parser lands; then the load generator switches to it.
 */
export const Op = { PING: 6, PONG: 7, INFO: 8, MSG: 9, HMSG: 10, OK: 11, ERR: 12 } as const;

export interface MiniArgs {
  op: number;
  buf: Buffer;
  subjectStart: number;
  subjectEnd: number;
  replyStart: number;
  replyEnd: number;
  sidStart: number;
  sidEnd: number;
  size: number;
  restStart: number;
  restEnd: number;
  payload: Buffer | null;
}

export interface MiniHandler {
  onOp(args: MiniArgs): boolean | undefined;
  onParseError(code: number, offset: number): void;
}

export class MiniParser {
  private readonly handler: MiniHandler;
  private readonly args: MiniArgs;
  private carry: Buffer | null;
  private dead: boolean;

  constructor(_mode: number, handler: MiniHandler) {
    this.handler = handler;
    this.args = {
      op: 0,
      buf: Buffer.alloc(0),
      subjectStart: -1,
      subjectEnd: -1,
      replyStart: -1,
      replyEnd: -1,
      sidStart: -1,
      sidEnd: -1,
      size: 0,
      restStart: -1,
      restEnd: -1,
      payload: null,
    };
    this.carry = null;
    this.dead = false;
  }

  parse(chunk: Buffer): void {
    if (this.dead) return;
    const buf = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = null;
    const a = this.args;
    let i = 0;
    const n = buf.length;
    while (i < n) {
      const lf = buf.indexOf(10, i);
      if (lf < 0) break;
      const c0 = buf[i]! | 0x20;
      a.buf = buf;
      a.payload = null;
      if (c0 === 0x6d /* m */) {
        // MSG <subject> <sid> [reply] <size>
        const lineEnd = buf[lf - 1] === 13 ? lf - 1 : lf;
        let argc = 0;
        let p = i + 3;
        const starts = [0, 0, 0, 0];
        const ends = [0, 0, 0, 0];
        while (p < lineEnd) {
          while (p < lineEnd && (buf[p] === 32 || buf[p] === 9)) p++;
          if (p >= lineEnd) break;
          const s = p;
          while (p < lineEnd && buf[p] !== 32 && buf[p] !== 9) p++;
          if (argc < 4) {
            starts[argc] = s;
            ends[argc] = p;
          }
          argc++;
        }
        if (argc !== 3 && argc !== 4) {
          this.fail(i);
          return;
        }
        let size = 0;
        for (let q = starts[argc - 1]!; q < ends[argc - 1]!; q++) size = size * 10 + (buf[q]! - 48);
        const payloadStart = lf + 1;
        if (payloadStart + size + 2 > n) break;
        a.op = Op.MSG;
        a.subjectStart = starts[0]!;
        a.subjectEnd = ends[0]!;
        a.sidStart = starts[1]!;
        a.sidEnd = ends[1]!;
        a.replyStart = argc === 4 ? starts[2]! : -1;
        a.replyEnd = argc === 4 ? ends[2]! : -1;
        a.size = size;
        a.payload = buf.subarray(payloadStart, payloadStart + size);
        i = payloadStart + size + 2;
        if (this.handler.onOp(a) === false) return;
        continue;
      }
      if (c0 === 0x70 /* p */) {
        a.op = (buf[i + 1]! | 0x20) === 0x69 ? Op.PING : Op.PONG;
      } else if (c0 === 0x69 /* i */) {
        a.op = Op.INFO;
        a.restStart = i + 5;
        a.restEnd = buf[lf - 1] === 13 ? lf - 1 : lf;
      } else if (c0 === 0x2b /* + */) {
        a.op = Op.OK;
      } else if (c0 === 0x2d /* - */) {
        a.op = Op.ERR;
        a.restStart = i + 5;
        a.restEnd = buf[lf - 1] === 13 ? lf - 1 : lf;
      } else {
        this.fail(i);
        return;
      }
      i = lf + 1;
      if (this.handler.onOp(a) === false) return;
    }
    if (i < n) this.carry = Buffer.from(buf.subarray(i));
  }

  private fail(offset: number): void {
    this.dead = true;
    this.handler.onParseError(1, offset);
  }
}
