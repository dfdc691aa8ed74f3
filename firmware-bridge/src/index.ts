export type {
  BayDetector,
  BayReading,
  BayState,
  CounterReading,
  DeviceCounters,
  DeviceHealth,
  DeviceReading,
  LatencyHistogram,
  PointQuality,
  StatusFlagReading,
  UnknownReason,
} from './detectors/bay-detector.js';
export { ERROR_TABLE, errors } from './errors.js';
export type {
  DigitalInput,
  DigitalInputOptions,
  DigitalIO,
  DigitalOutput,
  DigitalOutputOptions,
  EdgeKind,
  InputEvent,
} from './gpio/digital-io.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
export type {
  BusScheduler,
  BusSchedulerOptions,
  QuarantineOptions,
  RequestPriority,
  SubmitOptions,
  UnitHealth,
} from './modbus/bus-scheduler-types.js';
export type {
  BitKind,
  ModbusErrorCode,
  ModbusExceptionError,
  ModbusLink,
  ModbusLinkState,
  ModbusRequestOptions,
  RegisterKind,
  SerialLineTiming,
  WordKind,
} from './modbus/modbus-link.js';
export { MODBUS_EXCEPTION } from './modbus/modbus-link.js';
export type { Poller, PollerDevice, PollerOptions } from './poller/poller-types.js';
export type { BayMeaning, DeviceProfile, PointDecode, ProfilePoint, SignSection } from './profiles/device-profile.js';
export { DeviceProfileSchema } from './profiles/device-profile.js';
export type {
  GuidanceSign,
  SignArrow,
  SignCapabilities,
  SignColour,
  SignHealth,
  SignLine,
  SignMessage,
  SignReadBack,
  SignValue,
} from './signs/guidance-sign.js';
