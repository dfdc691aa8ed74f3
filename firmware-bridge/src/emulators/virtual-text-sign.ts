/**
 * A virtual MULTI text sign on a serial device (in tests: one end of a socat pty pair): decodes
 * the framed protocol, validates MULTI as the sign would, ACKs or NAKs, and records what it was
 * told to show.
 */
import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { MULTI_SYNTAX_ERROR, type MultiPage, parseMulti } from '../core/multi-parser.js';
import { layoutPage } from '../core/multi-render.js';
import { encodeNak, encodeSignFrame, SIGN_COMMAND, SignFrameDecoder } from '../core/sign-frame.js';
import { multiParseConfig, type MultiTextSignConfig, TEXT_SIGN_FAULT_BITS } from '../signs/multi-text-sign.js';

export type VirtualSignFault = { kind: 'no-ack' | 'corrupt-reply'; count?: number };

export interface VirtualTextSignOptions {
  /** Serial device to serve on (a tty; e.g. the sign's end of a pty pair). */
  path: string;
  /** The sign's size, fonts and glyphs: what its MULTI validation accepts. */
  sign: MultiTextSignConfig;
}

export interface VirtualTextSign {
  /**
   * Every accepted activation, oldest first (`multi` is '' for a blank), with what its first page
   * shows: `rows` of the sign's width, segments and lines placed by their justification.
   */
  readonly shown: { atMs: number; multi: string; pages: MultiPage[]; rows: string[] }[];
  /** Every refused activation with its NTCIP syntax error. */
  readonly refused: { atMs: number; multi: string; error: string; position: number }[];
  /** What the sign shows now. */
  readonly currentMulti: string;
  /** Faults the sign reports in its status reply from now on. */
  setFaults(names: readonly (typeof TEXT_SIGN_FAULT_BITS)[number][]): void;
  /** Misbehaves on the next `count` replies (default 1). */
  injectFault(fault: VirtualSignFault): void;
  /** Forgets every injected fault that has not happened yet. */
  clearFaults(): void;
  close(): Promise<void>;
}

export async function serveVirtualTextSign(options: VirtualTextSignOptions): Promise<VirtualTextSign> {
  const fd = openSync(options.path, 'r+');
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  input.setRawMode(true);
  const decoder = new SignFrameDecoder();
  const parseConfig = multiParseConfig(options.sign);
  const blankRows = () => layoutPage({ lines: [] }, options.sign);
  const shown: VirtualTextSign['shown'] = [];
  const refused: VirtualTextSign['refused'] = [];
  const faults: { kind: VirtualSignFault['kind']; remaining: number }[] = [];
  let current = '';
  let faultWord = 0;

  const reply = (seq: number, command: number, payload: Uint8Array) => {
    const fault = faults[0];
    if (fault !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.shift();
      if (fault.kind === 'no-ack') return;
    }
    const frame = encodeSignFrame({ seq, command, payload });
    if (fault?.kind === 'corrupt-reply') frame[frame.length - 2]! ^= 0xff;
    output.write(frame);
  };

  input.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind === 'bad-frame') {
        if (event.seq !== undefined) reply(event.seq, SIGN_COMMAND.nak, encodeNak(0, 0, 'bad frame'));
        continue;
      }
      const { seq, command, payload } = event.frame;
      switch (command) {
        case SIGN_COMMAND.activate: {
          const multi = new TextDecoder().decode(payload);
          const parsed = parseMulti(multi, parseConfig);
          if (parsed.ok) {
            current = multi;
            const rows = layoutPage(parsed.pages[0]!, options.sign);
            shown.push({ atMs: Date.now(), multi, pages: parsed.pages, rows });
            reply(seq, SIGN_COMMAND.ack, new Uint8Array(0));
          } else {
            refused.push({ atMs: Date.now(), multi, error: parsed.error, position: parsed.position });
            reply(seq, SIGN_COMMAND.nak, encodeNak(MULTI_SYNTAX_ERROR[parsed.error], parsed.position, parsed.reason));
          }
          break;
        }
        case SIGN_COMMAND.blank:
          current = '';
          shown.push({ atMs: Date.now(), multi: '', pages: [], rows: blankRows() });
          reply(seq, SIGN_COMMAND.ack, new Uint8Array(0));
          break;
        case SIGN_COMMAND.readBack:
          reply(seq, SIGN_COMMAND.ack, new TextEncoder().encode(current));
          break;
        case SIGN_COMMAND.status:
          reply(seq, SIGN_COMMAND.ack, Uint8Array.of(faultWord >>> 8, faultWord & 0xff));
          break;
        default:
          reply(seq, SIGN_COMMAND.nak, encodeNak(MULTI_SYNTAX_ERROR.other, 0, `unknown command ${command}`));
      }
    }
  });
  input.on('error', () => {});
  output.on('error', () => {});

  return {
    shown,
    refused,
    get currentMulti() {
      return current;
    },
    setFaults(names) {
      faultWord = names.reduce((word, name) => word | (1 << TEXT_SIGN_FAULT_BITS.indexOf(name)), 0);
    },
    injectFault(fault) {
      faults.push({ kind: fault.kind, remaining: fault.count ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    async close() {
      input.destroy();
      output.destroy();
    },
  };
}
