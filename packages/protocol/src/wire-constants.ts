/**
 * Pre-encoded protocol bytes. Shared, read-only: never write into these buffers.
 */

function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

export const CRLF: Buffer = bytes('\r\n');
export const PING: Buffer = bytes('PING\r\n');
export const PONG: Buffer = bytes('PONG\r\n');
export const OK: Buffer = bytes('+OK\r\n');

/** Op names with their trailing space, as written by the encoders. */
export const OP_INFO: Buffer = bytes('INFO ');
export const OP_CONNECT: Buffer = bytes('CONNECT ');
export const OP_PUB: Buffer = bytes('PUB ');
export const OP_HPUB: Buffer = bytes('HPUB ');
export const OP_SUB: Buffer = bytes('SUB ');
export const OP_UNSUB: Buffer = bytes('UNSUB ');
export const OP_MSG: Buffer = bytes('MSG ');
export const OP_HMSG: Buffer = bytes('HMSG ');
export const OP_ERR: Buffer = bytes("-ERR '");
export const OP_LS_PLUS: Buffer = bytes('LS+ ');
export const OP_LS_MINUS: Buffer = bytes('LS- ');
export const OP_LMSG: Buffer = bytes('LMSG ');
export const OP_RS_PLUS: Buffer = bytes('RS+ ');
export const OP_RS_MINUS: Buffer = bytes('RS- ');
export const OP_RMSG: Buffer = bytes('RMSG ');
/** Leaf/route queue-list reply indicators. */
export const REPLY_AND_QUEUES: Buffer = bytes('+ ');
export const QUEUES_ONLY: Buffer = bytes('| ');
