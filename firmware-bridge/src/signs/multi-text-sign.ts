/**
 * Guidance-sign driver for a text sign that takes NTCIP 1203 MULTI over a serial line, framed as
 * in `core/sign-frame.ts` (length + CRC, ACK/NAK). MULTI is validated here first against the
 * sign's lines, characters per line and fonts; the sign validates again and NAKs with the NTCIP
 * syntax error, which becomes `CB_SIGN_REJECTED`. `serialport` is loaded when the port is first opened.
 */
import { type Clock, systemClock } from '@citybay/common';
import type { SerialPort } from 'serialport';
import { MULTI_SYNTAX_ERROR, type MultiSignConfig, parseMulti } from '../core/multi-parser.js';
import { CLASSIC_COLOURS, messageFromPage, type MultiRenderOptions, renderMulti } from '../core/multi-render.js';
import {
  decodeNak,
  encodeSignFrame,
  MAX_SIGN_PAYLOAD,
  SIGN_COMMAND,
  type SignFrame,
  SignFrameDecoder,
} from '../core/sign-frame.js';
import { errors } from '../errors.js';
import { loadSerialPort } from '../io/native-modules.js';
import type { DeviceProfile } from '../profiles/device-profile.js';
import {
  type GuidanceSign,
  SIGN_ARROWS,
  type SignColour,
  type SignHealth,
  type SignMessage,
  type SignReadBack,
} from './guidance-sign.js';

/** What the driver knows of the sign: its MULTI limits, its arrow glyphs and line layout. */
export type MultiTextSignConfig = MultiSignConfig & MultiRenderOptions;

/** The sign configuration of a `text-sign` device profile. */
export function textSignConfig(profile: DeviceProfile): MultiTextSignConfig {
  const multi = profile.multi;
  if (profile.kind !== 'text-sign' || multi === undefined) {
    throw new RangeError(`profile "${profile.name}" is not a text-sign profile`);
  }
  const config: MultiTextSignConfig = { lines: multi.lines, charsPerLine: multi.charsPerLine };
  if (multi.fonts) config.fonts = multi.fonts;
  if (multi.defaultFont !== undefined) config.defaultFont = multi.defaultFont;
  if (multi.maxPages !== undefined) config.maxPages = multi.maxPages;
  if (multi.defaultJustification) config.defaultJustification = multi.defaultJustification;
  if (multi.glyphs) config.glyphs = multi.glyphs;
  if (multi.arrowGlyphs) config.arrowGlyphs = multi.arrowGlyphs;
  if (multi.lineLayout) config.lineLayout = multi.lineLayout;
  return config;
}

/** The parser's view of a text sign: its own glyphs plus its arrow glyphs. */
export function multiParseConfig(sign: MultiTextSignConfig): MultiSignConfig {
  const arrows = Object.values(sign.arrowGlyphs ?? {}).filter((c): c is number => c !== undefined);
  return arrows.length === 0 ? sign : { ...sign, glyphs: [...(sign.glyphs ?? []), ...arrows] };
}

export interface MultiTextSignOptions {
  id: string;
  /** Serial device of the sign. */
  path: string;
  /** bit/s. Default 9600. */
  baudRate?: number;
  sign: MultiTextSignConfig;
  /** Wait for ACK/NAK, in ms. Default 1000. */
  ackTimeoutMs?: number;
  /** Resends after a timeout or a frame NAK. Default 2. */
  retries?: number;
  /** Time source for `health().lastOkMs`. Default `systemClock`. */
  clock?: Clock;
}

/** Status bits the sign reports (ACK payload of the status command, u16 BE). */
export const TEXT_SIGN_FAULT_BITS = [
  'pixelFailure',
  'lampFailure',
  'doorOpen',
  'overTemperature',
  'powerFailure',
] as const;

export interface MultiTextSign extends GuidanceSign {
  /** Sends raw MULTI (validated first). */
  showMulti(multi: string): Promise<void>;
}

const SYNTAX_NAMES = new Map<number, string>(Object.entries(MULTI_SYNTAX_ERROR).map(([name, code]) => [code, name]));

export function createMultiTextSign(options: MultiTextSignOptions): MultiTextSign {
  const clock = options.clock ?? systemClock;
  const parseConfig = multiParseConfig(options.sign);
  let port: SerialPort | undefined;
  const decoder = new SignFrameDecoder();
  let seq = 0;
  let waiter: { seq: number; settle: (frame: SignFrame | 'bad') => void } | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let lastOkMs: number | null = null;
  let lastError: string | undefined;
  const onData = (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      if (waiter === undefined) continue;
      if (event.kind === 'bad-frame') waiter.settle('bad');
      else if (event.frame.seq === waiter.seq) waiter.settle(event.frame);
    }
  };

  const ensureOpen = async (): Promise<SerialPort> => {
    if (port === undefined) {
      const SerialPortClass = await loadSerialPort();
      port = new SerialPortClass({ path: options.path, baudRate: options.baudRate ?? 9600, autoOpen: false });
      port.on('data', onData);
      port.on('error', () => {});
    }
    const opened = port;
    if (!opened.isOpen) {
      await new Promise<void>((resolve, reject) => opened.open((err) => (err ? reject(err) : resolve())));
    }
    return opened;
  };

  const exchangeOnce = (
    openPort: SerialPort,
    command: number,
    payload: Uint8Array,
  ): Promise<SignFrame | 'timeout' | 'bad'> => {
    seq = (seq + 1) & 0xff;
    const frameSeq = seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle('timeout'), options.ackTimeoutMs ?? 1000);
      const settle = (result: SignFrame | 'timeout' | 'bad') => {
        clearTimeout(timer);
        waiter = undefined;
        resolve(result);
      };
      waiter = { seq: frameSeq, settle };
      // Noise that looked like the start of a long frame would otherwise swallow the replies that follow.
      decoder.reset();
      openPort.write(Buffer.from(encodeSignFrame({ seq: frameSeq, command, payload })));
    });
  };

  const exchange = (command: number, payload: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> => {
    const run = async (): Promise<Uint8Array> => {
      let openPort: SerialPort;
      try {
        openPort = await ensureOpen();
      } catch (cause) {
        lastError = 'CB_SIGN_NO_ACK';
        throw errors.CB_SIGN_NO_ACK(`sign ${options.id}: cannot open ${options.path}: ${(cause as Error).message}`, {
          cause,
        });
      }
      const attempts = 1 + (options.retries ?? 2);
      for (let attempt = 0; attempt < attempts; attempt++) {
        const reply = await exchangeOnce(openPort, command, payload);
        if (reply === 'timeout' || reply === 'bad') continue;
        if (reply.command === SIGN_COMMAND.ack) {
          lastOkMs = clock.nowMs();
          lastError = undefined;
          return reply.payload;
        }
        const nak = decodeNak(reply.payload);
        if (nak.code === 0) continue;
        lastOkMs = clock.nowMs();
        const name = SYNTAX_NAMES.get(nak.code) ?? `error ${nak.code}`;
        throw errors.CB_SIGN_REJECTED(`sign ${options.id}: syntaxMULTI ${name} at ${nak.position}: ${nak.reason}`, {
          path: name,
        });
      }
      lastError = 'CB_SIGN_NO_ACK';
      throw errors.CB_SIGN_NO_ACK(`sign ${options.id}: no acknowledgement after ${attempts} attempts`);
    };
    const result = chain.then(run, run);
    chain = result.catch(() => {});
    return result;
  };

  const showMulti = async (multi: string) => {
    const parsed = parseMulti(multi, parseConfig);
    if (!parsed.ok) {
      throw errors.CB_SIGN_REJECTED(
        `sign ${options.id}: syntaxMULTI ${parsed.error} at ${parsed.position}: ${parsed.reason}`,
        {
          path: parsed.error,
        },
      );
    }
    const payload = new TextEncoder().encode(multi);
    if (payload.length > MAX_SIGN_PAYLOAD) {
      throw errors.CB_SIGN_REJECTED(
        `sign ${options.id}: syntaxMULTI textTooBig: ${payload.length} bytes, a frame carries at most ${MAX_SIGN_PAYLOAD}`,
        { path: 'textTooBig' },
      );
    }
    await exchange(SIGN_COMMAND.activate, payload);
  };

  return {
    id: options.id,
    capabilities: {
      lines: options.sign.lines,
      charsPerLine: options.sign.charsPerLine,
      colours: Object.keys(CLASSIC_COLOURS) as SignColour[],
      arrows: SIGN_ARROWS,
    },
    showMulti,
    show: (message: SignMessage) => showMulti(renderMulti(message, options.sign)),
    blank: async () => {
      await exchange(SIGN_COMMAND.blank);
    },
    async readBack(): Promise<SignReadBack> {
      const multi = new TextDecoder().decode(await exchange(SIGN_COMMAND.readBack));
      if (multi === '') return { message: null, raw: '' };
      const parsed = parseMulti(multi, { ...parseConfig, maxPages: 255 });
      return {
        message: parsed.ok && parsed.pages[0] !== undefined ? messageFromPage(parsed.pages[0], options.sign) : null,
        raw: multi,
      };
    },
    async health(): Promise<SignHealth> {
      const faults: string[] = [];
      try {
        const status = await exchange(SIGN_COMMAND.status);
        const word = ((status[0] ?? 0) << 8) | (status[1] ?? 0);
        TEXT_SIGN_FAULT_BITS.forEach((name, bit) => {
          if ((word >>> bit) & 1) faults.push(name);
        });
      } catch {
        // Reported through isOnline and the error code below.
      }
      const isOnline = lastError === undefined;
      return { isOnline, lastOkMs, faults: isOnline ? faults : [lastError!] };
    },
    async close() {
      await chain;
      const opened = port;
      if (opened?.isOpen) await new Promise<void>((resolve) => opened.close(() => resolve()));
    },
  };
}
