/**
 * How a message is seen by the subscribers it is being delivered to: its subject and reply as
 * byte ranges (plus the subject string for permission checks). Normally ranges of the
 * publisher's control line; an account import rewrites them. Reused, one per import depth.
 */
export class MsgView {
  subject = '';
  sb: Buffer = EMPTY;
  ss = 0;
  se = 0;
  /** null when the message has no reply. */
  rb: Buffer | null = null;
  rs = 0;
  re = 0;
}

const EMPTY = Buffer.alloc(0);
