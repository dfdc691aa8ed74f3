/**
 * The site file's GPIO section onto a {@link DigitalIO}: loop detectors count gate entries and exits, a status LED
 * blinks with every summary, a fault relay closes while any sign shows its fail-safe message, and the hardware
 * watchdog is kicked from the event loop.
 */
import type { Clock, Logger } from '@citybay/common';
import { createDigitalIO, createFakeDigitalIO, type DigitalIO, type DigitalOutput } from '@citybay/firmware-bridge';
import type { SiteFile } from '../config/site-config-schema.js';

export interface GpioWiringOptions {
  /** The site file's `gpio` section; without one nothing is opened and every method does nothing. */
  gpio: SiteFile['gpio'];
  /** GPIO backend. Default: from `gpio.backend` (onoff, or the fake where sysfs GPIO is absent). */
  digitalIO?: DigitalIO;
  clock: Clock;
  logger: Logger;
  /** An input's rising-edge count: once when it opens, then after every edge. */
  onCount: (inputId: string, risingEdges: number) => void;
  /** After every edge's {@link GpioWiringOptions.onCount} (the caller plans again). */
  onEdge: () => void;
}

export interface GpioWiring {
  /** Closes the fault relay while `isFallback`, opens it otherwise; a failed write is retried by the next plan. */
  showFallback(isFallback: boolean): Promise<void>;
  /** Toggles the status LED, if there is one. */
  toggleStatusLed(): void;
  /** Stops kicking the watchdog (at the start of shutdown). */
  stopWatchdog(): void;
  close(): Promise<void>;
}

type OutputRole = NonNullable<NonNullable<SiteFile['gpio']>['outputs']>[number]['role'];

export async function openGpioWiring(options: GpioWiringOptions): Promise<GpioWiring> {
  const { gpio: g, clock } = options;
  const outputs: { role: OutputRole; output: DigitalOutput }[] = [];
  let io: DigitalIO | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let ledLevel: 0 | 1 = 0;
  if (g) {
    const log = options.logger.child({ component: 'gpio' });
    io =
      options.digitalIO ??
      (g.backend === 'fake' ? createFakeDigitalIO({ clock }) : await createDigitalIO({ clock, logger: log }));
    for (const input of g.inputs ?? []) {
      const opened = await io.openInput({
        line: input.line,
        ...(input.debounceMs === undefined ? {} : { debounceMs: input.debounceMs }),
        ...(input.isActiveLow === undefined ? {} : { isActiveLow: input.isActiveLow }),
      });
      options.onCount(input.id, opened.edgeCounts().rising);
      opened.onEdge(() => {
        options.onCount(input.id, opened.edgeCounts().rising);
        options.onEdge();
      });
    }
    for (const output of g.outputs ?? []) {
      outputs.push({
        role: output.role,
        output: await io.openOutput({ line: output.line, ...(output.isActiveLow ? { isActiveLow: true } : {}) }),
      });
    }
    if (g.watchdogKickMs) {
      const kicked = io;
      // Kicked from the event loop: if the loop hangs, the board resets.
      watchdog = setInterval(
        () => void kicked.kickWatchdog().catch((err: unknown) => log.warn({ err }, 'watchdog kick failed')),
        g.watchdogKickMs,
      );
    }
  }
  return {
    async showFallback(isFallback) {
      for (const { role, output } of outputs) {
        if (role === 'fault-relay') await output.write(isFallback ? 1 : 0).catch(() => {});
      }
    },
    toggleStatusLed() {
      const led = outputs.find((o) => o.role === 'status-led');
      if (!led) return;
      ledLevel = ledLevel === 1 ? 0 : 1;
      // A failed blink is not worth a log line: the next summary blinks again.
      void led.output.write(ledLevel).catch(() => {});
    },
    stopWatchdog() {
      clearInterval(watchdog);
      watchdog = undefined;
    },
    async close() {
      clearInterval(watchdog);
      await io?.close();
    },
  };
}
