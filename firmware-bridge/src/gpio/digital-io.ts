/**
 * `DigitalIO`: GPIO lines for loop detectors (inputs with debounce and both-edge events), relays and
 * status LEDs (outputs), and the hardware watchdog. Types only: `digital-io-onoff.ts` is the sysfs
 * implementation (line offsets are relative to the GPIO chip; the chip base is read from
 * `/sys/class/gpio/gpiochipN/base` + `label`), `digital-io-fake.ts` the one used in tests and where
 * `Gpio.accessible` is false.
 */

export type EdgeKind = 'rising' | 'falling';

export interface DigitalInputOptions {
  /** Line offset on the chip (BCM number on a Raspberry Pi), not the sysfs global number. */
  line: number;
  /** A level must hold this long before it counts, in ms. Default 20. */
  debounceMs?: number;
  /** Invert the electrical level (a loop detector relay pulling to ground). Default false. */
  isActiveLow?: boolean;
}

export interface DigitalOutputOptions {
  line: number;
  /** Level written at open. Default 0. */
  initial?: 0 | 1;
  isActiveLow?: boolean;
}

export interface InputEvent {
  line: number;
  /** Debounced logical level after the edge. */
  value: 0 | 1;
  edge: EdgeKind;
  /** Clock time (ms) at which the level was first seen (before debounce). */
  atMs: number;
}

export interface DigitalInput {
  readonly line: number;
  /** Current debounced logical level. */
  read(): Promise<0 | 1>;
  /** Both-edge events after debounce; returns an unsubscribe function. */
  onEdge(listener: (event: InputEvent) => void): () => void;
  /** Edges seen since open, by kind (a loop detector's vehicle count is the rising count). */
  edgeCounts(): { rising: number; falling: number };
  close(): Promise<void>;
}

export interface DigitalOutput {
  readonly line: number;
  write(value: 0 | 1): Promise<void>;
  read(): Promise<0 | 1>;
  close(): Promise<void>;
}

export interface DigitalIO {
  /** `onoff` or `fake`. */
  readonly backend: string;
  openInput(options: DigitalInputOptions): Promise<DigitalInput>;
  openOutput(options: DigitalOutputOptions): Promise<DigitalOutput>;
  /** Kicks the hardware watchdog (`/dev/watchdog` by default) so it does not reset the board. */
  kickWatchdog(): Promise<void>;
  /** Closes every line opened through this object and the watchdog (with the magic close). */
  close(): Promise<void>;
}
