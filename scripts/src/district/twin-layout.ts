import type { BayKind } from '@citybay/sim';

/** One Modbus emulator the twin hosts: a TCP server, or an RTU slave on a socat pseudo-terminal pair. */
export interface TwinEmulator {
  key: string;
  /** Shipped device profile name. */
  profile: string;
  unitIds: number[];
  transport: 'tcp' | 'rtu';
  port?: number;
  /** RTU: the pseudo-terminal the edge opens; the emulator serves `<ptyPath>-emulator`. */
  ptyPath?: string;
}

/** Consecutive emulated bays of one zone and kind on one controller. */
export interface TwinBayRange {
  zoneId: string;
  kind: BayKind;
  emulator: string;
  unitId: number;
  firstBay: number;
  count: number;
}

/** Where the twin shows a simulated lot: per-bay sensors, or an entry/exit counter for gate-counted lots. */
export interface TwinLot {
  lotId: string;
  siteId: string;
  gate?: { emulator: string; unitId: number };
  ranges: TwinBayRange[];
}

export interface TwinSign {
  siteId: string;
  signId: string;
  location: string;
  emulator: string;
  unitId: number;
  /** Labels printed on the sign face, line by line. */
  labels: string[];
}

/** Everything the twin process needs: generated from the district by `generateDistrict`. */
export interface TwinLayout {
  scenarioPath: string;
  /** Site whose lots the hospital's appointments are allocated to (`POST /v1/appointments?siteId=`). */
  appointmentSiteId: string;
  /** Local time offset of the district from UTC (minutes). */
  utcOffsetMin: number;
  emulators: TwinEmulator[];
  lots: TwinLot[];
  signs: TwinSign[];
}
