export type { Appointment, AppointmentStatus, ParkingNeeds } from './appointment.js';
export type { BayKind } from './bay-kind.js';
export { BAY_KINDS, isBayKind } from './bay-kind.js';
export type { CapacityWindow, MinuteWindow, ParkingLot, ParkingZone, SumoParkingAreaPlace } from './parking-lot.js';
export type {
  RoadConnection,
  RoadEdge,
  RoadJunction,
  RoadNetwork,
  RoadNode,
  SignalActuation,
  SignalPhase,
  SignalProgram,
} from './road-network.js';
