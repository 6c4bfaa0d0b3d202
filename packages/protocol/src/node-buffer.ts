/**
 * Buffer methods Node has had since v0.x but @types/node does not declare. They skip the
 * encoding dispatch of toString/write, which matters on per-message paths.
 */
export interface NodeBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(str: string, offset: number, length: number): number;
  utf8Write(str: string, offset: number, length: number): number;
}
