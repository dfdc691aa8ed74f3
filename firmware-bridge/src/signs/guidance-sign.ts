/**
 * `GuidanceSign`: a variable-message parking guidance sign. Types and the arrow list only: drivers are
 * `modbus-register-sign.ts` (device profile of kind `sign`) and `multi-text-sign.ts` (NTCIP 1203
 * MULTI over a framed serial line); virtual signs that record what they were told live in `emulators/`.
 */

/** Every arrow a guidance message can carry; signs that draw their own glyphs (MULTI text, virtual) draw them all. */
export const SIGN_ARROWS = [
  'none',
  'left',
  'right',
  'ahead',
  'ahead-left',
  'ahead-right',
  'down',
  'down-left',
  'down-right',
  'back',
] as const;

/** Arrow glyph shown before the value. `none` shows no arrow. */
export type SignArrow = (typeof SIGN_ARROWS)[number];

export type SignColour = 'amber' | 'green' | 'red' | 'white' | 'yellow';

/** What a line shows after its label and arrow: a free-bay count, FULL, CLOSED or free text. */
export type SignValue = number | 'FULL' | 'CLOSED' | { text: string };

export interface SignLine {
  /** Lot label, e.g. `P2`. Empty string for none. */
  label: string;
  arrow: SignArrow;
  value: SignValue;
  colour: SignColour;
}

export interface SignMessage {
  /** One entry per physical line of the sign, top first; a sign refuses more lines than it has. */
  lines: SignLine[];
  /** Brightness 0–100 %. Default: the sign's own automatic brightness. */
  brightnessPct?: number;
}

/** What the sign itself reports it is showing. */
export interface SignReadBack {
  /** The message decoded from the sign, `null` when it is blank. */
  message: SignMessage | null;
  /** Raw form as the sign holds it (the MULTI string, or the register values as text). */
  raw: string;
}

export interface SignHealth {
  /** The sign answered its last exchange. */
  isOnline: boolean;
  /** Clock time (ms) of the last successful exchange, `null` if none yet. */
  lastOkMs: number | null;
  /** Faults the sign reports (pixel failure, door open…) or the last communication error code. */
  faults: string[];
}

/** What the sign can show; `show()` refuses what does not fit. */
export interface SignCapabilities {
  lines: number;
  charsPerLine: number;
  colours: readonly SignColour[];
  arrows: readonly SignArrow[];
}

export interface GuidanceSign {
  readonly id: string;
  readonly capabilities: SignCapabilities;
  /** Shows a message; rejects with `CB_SIGN_REJECTED` (with the reason) if the sign refuses it. */
  show(message: SignMessage): Promise<void>;
  /** Blanks the sign. */
  blank(): Promise<void>;
  readBack(): Promise<SignReadBack>;
  health(): Promise<SignHealth>;
  close(): Promise<void>;
}
