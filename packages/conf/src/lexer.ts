/**
 * nats.conf lexer: one integer-state loop over the input, producing a flat token list.
 *
 * The grammar, and the exact set of inputs it accepts or rejects, follow nats-server's
 * conf/lex.go (2.9.10) including its corner cases, checked against the real binary
 * (`test-fixtures/compat-table.ts`): `1m` is an integer but `1ms` a string, `[1]` fails while
 * `[1k]` and `[ 1 ]` work, a NUL character acts like end of input, a bare `/` at the top level
 * is "Unexpected EOF.", and so on. Error texts are nats-server's, and an error stops lexing.
 *
 * Positions are UTF-16 offsets; the parser turns them into 1-based line/column.
 */

export const TokenType = {
  EOF: 0,
  KEY: 1,
  STRING: 2,
  BOOL: 3,
  INTEGER: 4,
  FLOAT: 5,
  DATETIME: 6,
  ARRAY_START: 7,
  ARRAY_END: 8,
  MAP_START: 9,
  MAP_END: 10,
  VARIABLE: 11,
  INCLUDE: 12,
  ERROR: 13,
} as const;
export type TokenType = (typeof TokenType)[keyof typeof TokenType];

export interface Token {
  type: TokenType;
  /** Text of the token (unescaped for strings; variable name without `$`; error message). */
  value: string;
  /** Offset where the token starts (for errors: the offending character). */
  offset: number;
  /** ERROR only: the offset nats-server counts lines to (`Parse error on line N`). */
  lineOffset: number;
}

// lexer states
const S_TOP = 0;
const S_TOP_VALUE_END = 1;
const S_KEY_START = 2;
const S_DQ_KEY = 3;
const S_SQ_KEY = 4;
const S_KEY = 5;
const S_KEY_END = 6;
const S_VALUE = 7;
const S_ARRAY_VALUE = 8;
const S_ARRAY_VALUE_END = 9;
const S_ARRAY_END = 10;
const S_MAP_KEY_START = 11;
const S_MAP_SQ_KEY = 12;
const S_MAP_DQ_KEY = 13;
const S_MAP_KEY = 14;
const S_MAP_KEY_END = 15;
const S_MAP_VALUE = 16;
const S_MAP_VALUE_END = 17;
const S_MAP_END = 18;
const S_STRING = 19;
const S_DQ_STRING = 20;
const S_SQ_STRING = 21;
const S_BLOCK = 22;
const S_NUMBER = 23;
const S_CONVENIENT = 24;
const S_DATE = 25;
const S_NEG_START = 26;
const S_NEG = 27;
const S_FLOAT_START = 28;
const S_FLOAT = 29;
const S_IP = 30;
const S_COMMENT = 31;
const S_INCLUDE_START = 32;
const S_INCLUDE = 33;
const S_INCLUDE_SQ = 34;
const S_INCLUDE_DQ = 35;
const S_INCLUDE_BARE = 36;
const S_DONE = 37;

/** End of input; a real NUL character reads the same (as in nats-server). */
const EOF = 0;
const NL = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

const DATE_SHAPE = '00-00T00:00:00Z';

function isWhitespace(r: number): boolean {
  return r === SPACE || r === TAB;
}
function isNL(r: number): boolean {
  return r === NL || r === CR;
}
/** Go's unicode.IsSpace. */
function isSpace(r: number): boolean {
  if (r <= 0xff) return r === SPACE || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return (
    r === 0x1680 ||
    (r >= 0x2000 && r <= 0x200a) ||
    r === 0x2028 ||
    r === 0x2029 ||
    r === 0x202f ||
    r === 0x205f ||
    r === 0x3000
  );
}
const DIGIT_RE = /^\p{Nd}$/u;
/** Go's unicode.IsDigit (any decimal digit, not only ASCII). */
function isDigit(r: number): boolean {
  if (r >= 0x30 && r <= 0x39) return true;
  return r > 0x7f && DIGIT_RE.test(String.fromCodePoint(r));
}
function isKeySeparator(r: number): boolean {
  return r === 0x3d /* = */ || r === 0x3a /* : */;
}
function isNumberSuffix(r: number): boolean {
  switch (r | 0x20) {
    case 0x6b: // k
    case 0x6d: // m
    case 0x67: // g
    case 0x74: // t
    case 0x70: // p
    case 0x65: // e
      return true;
  }
  return false;
}
/** The terminators after an integer literal (note: not `]`, as in nats-server). */
function endsNumber(r: number): boolean {
  return isNL(r) || r === EOF || r === 0x7d /* } */ || r === 0x3b /* ; */ || r === 0x2c /* , */ || isWhitespace(r);
}
/** A rune as nats-server prints it inside '…' (only a newline is escaped). */
function fmtRune(r: number): string {
  return r === NL ? '\\n' : String.fromCodePoint(r);
}
function isHex(c: string): boolean {
  return /^[0-9a-fA-F]{2}$/.test(c);
}

const BOOL_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off']);

export class Lexer {
  private readonly input: string;
  private pos = 0;
  private start = 0;
  private width = 0;
  private state = S_TOP;
  private readonly stack: number[] = [];
  private readonly tokens: Token[] = [];
  /** Pieces of a string with escapes: text, or a byte from `\xHH`. */
  private parts: Array<string | number> = [];
  private partsStart = 0;
  /** The string state to return to after an escape. */
  private stringState = S_STRING;
  private dateIndex = 0;

  constructor(input: string) {
    this.input = input;
  }

  /** Lexes the whole input; the last token is EOF or ERROR. */
  run(): Token[] {
    for (let guard = 0; this.state !== S_DONE; guard++) {
      if (guard > this.input.length * 8 + 64) {
        // Every state consumes or emits; this only guards against a bug turning into a hang.
        this.error('BUG in lexer: no progress.', this.pos);
        break;
      }
      this.step();
    }
    return this.tokens;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }
  private backup(): void {
    this.pos -= this.width;
  }
  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }
  private ignore(): void {
    this.start = this.pos;
  }
  private push(s: number): void {
    this.stack.push(s);
  }
  private pop(): number {
    const s = this.stack.pop();
    if (s === undefined) {
      this.error('BUG in lexer: no states to pop.', this.pos);
      return S_DONE;
    }
    return s;
  }

  private emit(type: TokenType, offset = this.start): void {
    this.tokens.push({ type, value: this.input.slice(this.start, this.pos), offset, lineOffset: offset });
    this.start = this.pos;
  }
  private emitValue(type: TokenType, value: string, offset: number): void {
    this.tokens.push({ type, value, offset, lineOffset: offset });
    this.start = this.pos;
  }
  /** Emits a string token, joining escaped parts when there were escapes. */
  private emitString(): void {
    if (this.parts.length === 0) {
      this.emit(TokenType.STRING);
      return;
    }
    this.parts.push(this.input.slice(this.start, this.pos));
    const value = joinParts(this.parts);
    const offset = this.partsStart;
    this.parts = [];
    this.emitValue(TokenType.STRING, value, offset);
  }

  /**
   * Stops lexing with an error. `offset` is where the offending character is; nats-server
   * counts the line over everything consumed so far.
   */
  private error(message: string, offset?: number): void {
    let at = offset;
    if (at === undefined) {
      at = this.pos;
      if (this.width > 0 && this.input.charCodeAt(this.pos - 1) !== NL) at = this.pos - this.width;
    }
    if (at < 0) at = 0;
    this.tokens.push({ type: TokenType.ERROR, value: message, offset: at, lineOffset: this.pos });
    this.state = S_DONE;
  }

  private step(): void {
    switch (this.state) {
      case S_TOP: {
        const r = this.next();
        if (isSpace(r)) {
          this.ignore();
          return;
        }
        if (r === 0x7b /* { */) {
          this.ignore();
          return;
        }
        if (this.comment(r, S_TOP)) return;
        if (r === 0x2f /* / */) {
          this.error('Unexpected EOF.', this.pos - 1);
          return;
        }
        if (r === EOF) {
          this.endOfInput();
          return;
        }
        this.backup();
        this.push(S_TOP_VALUE_END);
        this.state = S_KEY_START;
        return;
      }

      case S_TOP_VALUE_END: {
        const r = this.next();
        if (this.comment(r, S_TOP)) return;
        if (r === 0x2f) return; // a lone '/' is skipped like whitespace here
        if (isWhitespace(r)) return;
        if (isNL(r) || r === EOF || r === 0x3b /* ; */ || r === 0x2c /* , */ || r === 0x7d /* } */) {
          this.ignore();
          this.state = S_TOP;
          return;
        }
        this.error(
          `Expected a top-level value to end with a new line, comment or EOF, but got '${fmtRune(r)}' instead.`,
        );
        return;
      }

      case S_KEY_START: {
        const r = this.peek();
        if (isKeySeparator(r)) {
          this.error(`Unexpected key separator '${fmtRune(r)}'`, this.pos);
          return;
        }
        if (isSpace(r)) {
          this.next();
          this.ignore();
          return;
        }
        if (r === 0x22 /* " */) {
          this.next();
          this.ignore();
          this.state = S_DQ_KEY;
          return;
        }
        if (r === 0x27 /* ' */) {
          this.next();
          this.ignore();
          this.state = S_SQ_KEY;
          return;
        }
        this.ignore();
        this.next();
        this.state = S_KEY;
        return;
      }

      case S_DQ_KEY:
      case S_SQ_KEY: {
        const quote = this.state === S_DQ_KEY ? 0x22 : 0x27;
        const r = this.peek();
        if (r === quote) {
          this.emit(TokenType.KEY);
          this.next();
          this.ignore();
          this.state = S_KEY_END;
          return;
        }
        if (r === EOF) {
          this.endOfInput(this.pos);
          return;
        }
        this.next();
        return;
      }

      case S_KEY: {
        const r = this.peek();
        if (isSpace(r)) {
          this.keyOrKeyword(S_KEY_END, -1);
          return;
        }
        if (isKeySeparator(r) || r === EOF) {
          this.emit(TokenType.KEY);
          this.state = S_KEY_END;
          return;
        }
        this.next();
        return;
      }

      case S_KEY_END:
      case S_MAP_KEY_END: {
        const value = this.state === S_KEY_END ? S_VALUE : S_MAP_VALUE;
        const r = this.next();
        if (isSpace(r)) {
          this.ignore();
          return;
        }
        if (isKeySeparator(r)) {
          this.ignore();
          this.state = value;
          return;
        }
        if (r === EOF && value === S_VALUE) {
          // a top-level key with no value at the end of input
          this.emit(TokenType.EOF);
          this.state = S_DONE;
          return;
        }
        this.backup();
        this.state = value;
        return;
      }

      case S_VALUE: {
        const r = this.next();
        if (isWhitespace(r)) {
          this.ignore();
          return;
        }
        switch (r) {
          case 0x5b /* [ */:
            this.ignore();
            this.emit(TokenType.ARRAY_START, this.pos - 1);
            this.state = S_ARRAY_VALUE;
            return;
          case 0x7b /* { */:
            this.ignore();
            this.emit(TokenType.MAP_START, this.pos - 1);
            this.state = S_MAP_KEY_START;
            return;
          case 0x27 /* ' */:
            this.ignore();
            this.state = S_SQ_STRING;
            return;
          case 0x22 /* " */:
            this.ignore();
            this.stringState = S_DQ_STRING;
            this.state = S_DQ_STRING;
            return;
          case 0x2d /* - */:
            this.state = S_NEG_START;
            return;
          case 0x28 /* ( */:
            this.ignore();
            this.state = S_BLOCK;
            return;
          case 0x2e /* . */:
            this.error('Floats must start with a digit');
            return;
        }
        if (isDigit(r)) {
          this.state = S_NUMBER;
          return;
        }
        if (isNL(r)) {
          this.error('Expected value but found new line');
          return;
        }
        this.backup();
        this.stringState = S_STRING;
        this.state = S_STRING;
        return;
      }

      case S_ARRAY_VALUE: {
        const r = this.next();
        if (isSpace(r)) {
          this.ignore();
          return;
        }
        if (this.comment(r, S_ARRAY_VALUE)) return;
        if (r === 0x2f || r === 0x2c) {
          // nats-server gives the same text for a lone '/' here
          this.error("Unexpected array value terminator ','.");
          return;
        }
        if (r === 0x5d /* ] */) {
          this.state = S_ARRAY_END;
          return;
        }
        this.backup();
        this.push(S_ARRAY_VALUE_END);
        this.state = S_VALUE;
        return;
      }

      case S_ARRAY_VALUE_END:
      case S_MAP_VALUE_END: {
        const inMap = this.state === S_MAP_VALUE_END;
        const r = this.next();
        if (isWhitespace(r)) {
          this.ignore();
          return;
        }
        if (this.comment(r, this.state)) return;
        // A lone '/' separates entries here; `;` only in a map.
        if (r === 0x2f || r === 0x2c || isNL(r) || (inMap && r === 0x3b)) {
          this.ignore();
          this.state = inMap ? S_MAP_KEY_START : S_ARRAY_VALUE;
          return;
        }
        if (r === (inMap ? 0x7d : 0x5d)) {
          this.ignore();
          this.state = inMap ? S_MAP_END : S_ARRAY_END;
          return;
        }
        this.error(
          inMap
            ? `Expected a map value terminator "," or a map terminator "}", but got '${fmtRune(r)}' instead.`
            : `Expected an array value terminator "," or an array terminator "]", but got '${fmtRune(r)}' instead.`,
        );
        return;
      }

      case S_ARRAY_END:
      case S_MAP_END:
        this.ignore();
        this.emit(this.state === S_MAP_END ? TokenType.MAP_END : TokenType.ARRAY_END, this.pos - 1);
        this.state = this.pop();
        return;

      case S_MAP_KEY_START: {
        const r = this.peek();
        if (isKeySeparator(r)) {
          this.error(`Unexpected key separator '${fmtRune(r)}'.`, this.pos);
          return;
        }
        if (r === 0x5d) {
          this.error(`Unexpected array end '${fmtRune(r)}' processing map.`, this.pos);
          return;
        }
        if (isSpace(r)) {
          this.next();
          this.ignore();
          return;
        }
        if (r === 0x7d) {
          this.next();
          this.ignore();
          this.state = S_MAP_END;
          return;
        }
        if (r === 0x23 || r === 0x2f) {
          this.next();
          if (this.comment(r, S_MAP_KEY_START)) return;
          // A lone '/' is dropped and the key starts at the next character.
        } else if (r === 0x27) {
          this.next();
          this.ignore();
          this.state = S_MAP_SQ_KEY;
          return;
        } else if (r === 0x22) {
          this.next();
          this.ignore();
          this.state = S_MAP_DQ_KEY;
          return;
        } else if (r === EOF) {
          this.error('Unexpected EOF processing map.', this.pos);
          return;
        }
        this.ignore();
        this.next();
        this.state = S_MAP_KEY;
        return;
      }

      case S_MAP_SQ_KEY:
      case S_MAP_DQ_KEY: {
        const dq = this.state === S_MAP_DQ_KEY;
        const r = this.peek();
        if (r === EOF) {
          this.error(
            dq ? 'Unexpected EOF processing double quoted map key.' : 'Unexpected EOF processing quoted map key.',
            this.pos,
          );
          return;
        }
        if (r === (dq ? 0x22 : 0x27)) {
          this.emit(TokenType.KEY);
          this.next();
          this.ignore();
          this.state = S_MAP_KEY_END;
          return;
        }
        this.next();
        return;
      }

      case S_MAP_KEY: {
        const r = this.peek();
        if (r === EOF) {
          this.error('Unexpected EOF processing map key.', this.pos);
          return;
        }
        if (isSpace(r)) {
          this.keyOrKeyword(S_MAP_KEY_END, S_MAP_VALUE_END);
          return;
        }
        if (isKeySeparator(r)) {
          this.emit(TokenType.KEY);
          this.state = S_MAP_KEY_END;
          return;
        }
        this.next();
        return;
      }

      case S_MAP_VALUE: {
        const r = this.next();
        if (isSpace(r)) {
          this.ignore();
          return;
        }
        if (r === 0x2c) {
          this.error('Unexpected map value terminator ",".');
          return;
        }
        if (r === 0x7d) {
          this.ignore();
          this.state = S_MAP_END;
          return;
        }
        this.backup();
        this.push(S_MAP_VALUE_END);
        this.state = S_VALUE;
        return;
      }

      case S_SQ_STRING: {
        const r = this.next();
        if (r === 0x27) {
          this.closeQuote(TokenType.STRING);
          return;
        }
        if (r === EOF) this.endOfInput();
        return;
      }

      case S_DQ_STRING: {
        const r = this.next();
        if (r === 0x5c /* \ */) {
          this.escape();
          return;
        }
        if (r === 0x22) {
          this.closeQuote(TokenType.STRING);
          return;
        }
        if (r === EOF) this.endOfInput();
        return;
      }

      case S_STRING: {
        const r = this.next();
        if (r === 0x5c) {
          this.escape();
          return;
        }
        if (
          isNL(r) ||
          r === EOF ||
          r === 0x3b ||
          r === 0x2c ||
          r === 0x5d /* ] */ ||
          r === 0x7d /* } */ ||
          isWhitespace(r)
        ) {
          this.backup();
          if (this.parts.length > 0) {
            this.emitString();
          } else {
            const text = this.input.slice(this.start, this.pos);
            if (BOOL_WORDS.has(text.toLowerCase())) this.emit(TokenType.BOOL);
            else if (text.charCodeAt(0) === 0x24 /* $ */) this.emitValue(TokenType.VARIABLE, text.slice(1), this.start);
            else this.emit(TokenType.STRING);
          }
          this.state = this.pop();
          return;
        }
        // A quote ends an unquoted string (and is dropped).
        if (r === 0x27) this.closeQuote(TokenType.STRING);
        return;
      }

      case S_BLOCK: {
        const r = this.next();
        if (r === EOF) {
          this.error('Unexpected EOF processing block.');
          return;
        }
        if (r !== 0x29 /* ) */) return;
        // A ')' alone on its line closes the block.
        const close = this.pos - 1;
        if (this.input.charCodeAt(close - 1) !== NL) return;
        const after = this.next();
        if (after === NL || after === EOF) {
          // Step back over the character after ')' and the ')' itself (nats-server keeps
          // the ')' in the value when it is the very last character of the input).
          this.pos -= 2 * this.width;
          this.emit(TokenType.STRING);
          this.next();
          this.ignore();
          this.state = this.pop();
          return;
        }
        this.backup();
        return;
      }

      case S_NUMBER: {
        const r = this.next();
        if (r === 0x2d /* - */) {
          if (this.pos - this.start !== 5) {
            this.error('All ISO8601 dates must be in full Zulu form.');
            return;
          }
          this.dateIndex = 0;
          this.state = S_DATE;
          return;
        }
        if (isDigit(r)) return;
        if (r === 0x2e) {
          this.state = S_FLOAT_START;
          return;
        }
        if (isNumberSuffix(r)) {
          this.state = S_CONVENIENT;
          return;
        }
        if (!endsNumber(r)) {
          // A value that starts with digits but goes on (`2s`, `10ms`): a bare string.
          this.stringState = S_STRING;
          this.state = S_STRING;
          return;
        }
        this.endValue(TokenType.INTEGER);
        return;
      }

      case S_CONVENIENT: {
        const r = this.next();
        if (r === 0x62 || r === 0x42 || r === 0x69 || r === 0x49) return; // b B i I
        this.backup();
        if (endsNumber(r) || isDigit(r)) {
          this.emit(TokenType.INTEGER);
          this.state = this.pop();
          return;
        }
        this.stringState = S_STRING;
        this.state = S_STRING;
        return;
      }

      case S_DATE: {
        const f = DATE_SHAPE.charCodeAt(this.dateIndex);
        const r = this.next();
        if (f === 0x30) {
          if (!isDigit(r)) {
            this.error(`Expected digit in ISO8601 datetime, but found '${fmtRune(r)}' instead.`);
            return;
          }
        } else if (f !== r) {
          this.error(`Expected '${fmtRune(f)}' in ISO8601 datetime, but found '${fmtRune(r)}' instead.`);
          return;
        }
        this.dateIndex++;
        if (this.dateIndex === DATE_SHAPE.length) {
          this.emit(TokenType.DATETIME);
          this.state = this.pop();
        }
        return;
      }

      case S_NEG_START: {
        const r = this.next();
        if (!isDigit(r)) {
          this.error(
            r === 0x2e ? "Floats must start with a digit, not '.'." : `Expected a digit but got '${fmtRune(r)}'.`,
          );
          return;
        }
        this.state = S_NEG;
        return;
      }

      case S_NEG: {
        const r = this.next();
        if (isDigit(r)) return;
        if (r === 0x2e) {
          this.state = S_FLOAT_START;
          return;
        }
        if (isNumberSuffix(r)) {
          this.state = S_CONVENIENT;
          return;
        }
        this.endValue(TokenType.INTEGER);
        return;
      }

      case S_FLOAT_START: {
        const r = this.next();
        if (!isDigit(r)) {
          this.error(`Floats must have a digit after the '.', but got '${fmtRune(r)}' instead.`);
          return;
        }
        this.state = S_FLOAT;
        return;
      }

      case S_FLOAT: {
        const r = this.next();
        if (isDigit(r)) return;
        if (r === 0x2e) {
          // A second dot: an address like 127.0.0.1:4222, lexed as a string.
          this.state = S_IP;
          return;
        }
        this.endValue(TokenType.FLOAT);
        return;
      }

      case S_IP: {
        const r = this.next();
        if (isDigit(r) || r === 0x2e || r === 0x3a || r === 0x2d) return;
        this.endValue(TokenType.STRING);
        return;
      }

      case S_COMMENT: {
        this.ignore();
        for (;;) {
          const r = this.peek();
          if (isNL(r) || r === EOF) break;
          this.next();
        }
        this.ignore();
        this.state = this.pop();
        return;
      }

      case S_INCLUDE_START: {
        const r = this.next();
        if (isWhitespace(r)) {
          this.ignore();
          return;
        }
        this.backup();
        this.state = S_INCLUDE;
        return;
      }

      case S_INCLUDE: {
        const r = this.next();
        if (r === 0x27) {
          this.ignore();
          this.state = S_INCLUDE_SQ;
          return;
        }
        if (r === 0x22) {
          this.ignore();
          this.state = S_INCLUDE_DQ;
          return;
        }
        if (r === 0x5b) {
          this.error('Expected include value but found start of an array');
          return;
        }
        if (r === 0x7b) {
          this.error('Expected include value but found start of a map');
          return;
        }
        if (r === 0x28) {
          this.error('Expected include value but found start of a block');
          return;
        }
        if (isDigit(r) || r === 0x2d) {
          this.error('Expected include value but found start of a number');
          return;
        }
        if (r === 0x5c) {
          this.error('Expected include value but found escape sequence');
          return;
        }
        if (isNL(r)) {
          this.error('Expected include value but found new line');
          return;
        }
        this.backup();
        this.state = S_INCLUDE_BARE;
        return;
      }

      case S_INCLUDE_SQ:
      case S_INCLUDE_DQ: {
        const dq = this.state === S_INCLUDE_DQ;
        const r = this.next();
        if (r === (dq ? 0x22 : 0x27)) {
          this.closeQuote(TokenType.INCLUDE);
          return;
        }
        if (r === EOF) this.error(dq ? 'Unexpected EOF in double quoted include' : 'Unexpected EOF in quoted include');
        return;
      }

      case S_INCLUDE_BARE: {
        const r = this.next();
        if (isNL(r) || r === EOF || r === 0x3b || r === 0x7d || isWhitespace(r)) {
          this.endValue(TokenType.INCLUDE);
          return;
        }
        if (r === 0x27) this.closeQuote(TokenType.INCLUDE);
        return;
      }
    }
  }

  /** A bare key followed by whitespace: `include <path>` or a plain key. */
  private keyOrKeyword(keyEnd: number, afterInclude: number): void {
    if (this.input.slice(this.start, this.pos).toLowerCase() === 'include') {
      this.ignore();
      if (afterInclude >= 0) this.push(afterInclude);
      this.state = S_INCLUDE_START;
      return;
    }
    this.emit(TokenType.KEY);
    this.state = keyEnd;
  }

  /**
   * End of input: the EOF token, or "Unexpected EOF." (at `offset`, see {@link error}) when
   * something was read since the last token.
   */
  private endOfInput(offset?: number): void {
    if (this.pos > this.start) {
      this.error('Unexpected EOF.', offset);
      return;
    }
    this.emit(TokenType.EOF);
    this.state = S_DONE;
  }

  /**
   * `#` or `//` (`r` already read) starts a comment that returns to `returnTo`. After a lone
   * `/` the next character has been read and put back; the caller decides what the `/` means.
   */
  private comment(r: number, returnTo: number): boolean {
    if (r === 0x23 /* # */ || (r === 0x2f /* / */ && this.next() === 0x2f)) {
      this.push(returnTo);
      this.state = S_COMMENT;
      return true;
    }
    if (r === 0x2f) this.backup();
    return false;
  }

  /** The character just read ends the value: puts it back and emits the value as `type`. */
  private endValue(type: TokenType): void {
    this.backup();
    this.emit(type);
    this.state = this.pop();
  }

  /**
   * The closing quote was just read: emits the text before it as `type` (a string with its
   * escapes joined), drops the quote and returns to the enclosing state.
   */
  private closeQuote(type: TokenType): void {
    this.backup();
    if (type === TokenType.STRING) this.emitString();
    else this.emit(type);
    this.next();
    this.ignore();
    this.state = this.pop();
  }

  /** After a backslash in a double-quoted or unquoted string. */
  private escape(): void {
    if (this.parts.length === 0) this.partsStart = this.start;
    this.parts.push(this.input.slice(this.start, this.pos - 1));
    this.start = this.pos;
    const r = this.next();
    let piece: string | null = null;
    switch (r) {
      case 0x78 /* x */:
        {
          if (isNL(this.next()) || isNL(this.next())) {
            this.error("Expected two hexadecimal digits after '\\x', but hit end of line");
            return;
          }
          const hex = this.input.slice(Math.max(0, this.pos - 2), this.pos);
          if (!isHex(hex)) {
            this.error(`Expected two hexadecimal digits after '\\x', but got '${hex}'`);
            return;
          }
          this.parts.push(Number.parseInt(hex, 16));
          this.start = this.pos;
          this.state = this.stringState;
          return;
        }
      case 0x74:
        piece = '\t';
        break;
      case 0x6e:
        piece = '\n';
        break;
      case 0x72:
        piece = '\r';
        break;
      case 0x22:
        piece = '"';
        break;
      case 0x5c:
        piece = '\\';
        break;
    }
    if (piece === null) {
      this.error(
        `Invalid escape character '${fmtRune(r)}'. Only the following escape characters are allowed: \\xXX, \\t, \\n, \\r, \\", \\\\.`,
      );
      return;
    }
    this.parts.push(piece);
    this.start = this.pos;
    this.state = this.stringState;
  }
}

/** Joins text pieces and `\xHH` bytes; bytes are decoded as UTF-8 together with the text. */
function joinParts(parts: Array<string | number>): string {
  if (parts.every((p) => typeof p === 'string')) return parts.join('');
  const enc = new TextEncoder();
  const bytes: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') bytes.push(p);
    else for (const b of enc.encode(p)) bytes.push(b);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Lexes `input` into tokens (the last one is EOF or ERROR). */
export function lex(input: string): Token[] {
  return new Lexer(input).run();
}
