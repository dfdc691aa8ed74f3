import type { BayKindName } from '@citybay/common';
import { citybay } from '@citybay/proto/gen';

// Plain-object shapes of the wire messages (what code builds and reads), and the enums.
export type SyncRequest = citybay.v1.ISyncRequest;
export type SyncResponse = citybay.v1.ISyncResponse;
export type SiteSummary = citybay.v1.ISiteSummary;
export type ZoneCounts = citybay.v1.IZoneCounts;
export type KindCounts = citybay.v1.IKindCounts;
export type BayStates = citybay.v1.IBayStates;
export type GateCounts = citybay.v1.IGateCounts;
export type DeviceHealth = citybay.v1.IDeviceHealth;
export type SignFace = citybay.v1.ISignFace;
export type SignLine = citybay.v1.ISignLine;
export type Directives = citybay.v1.IDirectives;
export type BayReservation = citybay.v1.IBayReservation;
export type LotOverride = citybay.v1.ILotOverride;
export type SignOverride = citybay.v1.ISignOverride;

export const BayKind = citybay.v1.BayKind;
export type BayKind = citybay.v1.BayKind;
export const BayState = citybay.v1.BayState;
export type BayState = citybay.v1.BayState;
export const DeviceStatus = citybay.v1.DeviceStatus;
export type DeviceStatus = citybay.v1.DeviceStatus;
export const Arrow = citybay.v1.Arrow;
export type Arrow = citybay.v1.Arrow;
export const LineMode = citybay.v1.LineMode;
export type LineMode = citybay.v1.LineMode;
export const Colour = citybay.v1.Colour;
export type Colour = citybay.v1.Colour;
export const AreaStatus = citybay.v1.AreaStatus;
export type AreaStatus = citybay.v1.AreaStatus;

/** The generated message classes, for code that needs `toObject`/`fromObject` (tests, benchmarks). */
export const messages = citybay.v1;

/** Bay kinds by their lower-case names, as configuration files and APIs spell them. */
export const BAY_KIND_BY_NAME = {
  standard: BayKind.BAY_KIND_STANDARD,
  accessible: BayKind.BAY_KIND_ACCESSIBLE,
  family: BayKind.BAY_KIND_FAMILY,
  ev: BayKind.BAY_KIND_EV,
  staff: BayKind.BAY_KIND_STAFF,
} as const satisfies Record<BayKindName, BayKind>;

export function bayKindName(kind: BayKind): BayKindName | undefined {
  for (const [name, value] of Object.entries(BAY_KIND_BY_NAME)) if (value === kind) return name as BayKindName;
  return undefined;
}
