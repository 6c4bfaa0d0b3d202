/**
 * The benchmark payload layout. Every message a publisher sends carries who sent it and its
 * sequence number, so subscribers can check exact counts, per-publisher order and (for queue
 * groups) exactly-once delivery:
 *
 *   [0..4)  publisher id, uint32 LE
 *   [4..8)  sequence number, uint32 LE, 0-based and contiguous per publisher
 *   [8..n)  filler: byte i = FILLER(i); the first and last filler bytes are checked
 */

/** Smallest payload that still holds the header. */
export const MIN_PAYLOAD = 16;
export const PAYLOAD_HEADER = 8;

export function fillerByte(index: number): number {
  return (index * 31 + 7) & 0xff;
}

/** A payload template of `size` bytes for publisher `pubId` (sequence 0). */
export function payloadTemplate(pubId: number, size: number): Buffer {
  if (!Number.isInteger(size) || size < MIN_PAYLOAD) {
    throw new RangeError(`payload size must be an integer >= ${MIN_PAYLOAD}, got ${size}`);
  }
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt32LE(pubId, 0);
  buf.writeUInt32LE(0, 4);
  for (let i = PAYLOAD_HEADER; i < size; i++) buf[i] = fillerByte(i);
  return buf;
}
