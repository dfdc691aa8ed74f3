export { crc16 } from './core/crc16.js';
export { fromReference, toReference, type WireAddress } from './core/modbus-address.js';
export {
  charTimeMs,
  exchangeTimeMs,
  frameTimeMs,
  interFrameSilenceMs,
  RTU_BITS_PER_CHAR,
  readFrameSizes,
} from './core/modbus-timing.js';
export {
  type Justification,
  MULTI_SYNTAX_ERROR,
  type MultiError,
  type MultiLine,
  type MultiPage,
  type MultiSegment,
  type MultiSignConfig,
  type PageJustification,
  parseMulti,
} from './core/multi-parser.js';
export { layoutPage, type MultiRenderOptions, renderMulti } from './core/multi-render.js';
export { checkDataShape, parseYamlSafely, type SafeYamlLimits, type SafeYamlResult } from './core/safe-yaml.js';
export { type BoundedRead, readBoundedText } from './io/bounded-file.js';
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
export { createEmulatorLink, type EmulatorLink, type EmulatorLinkOptions } from './emulators/emulator-link.js';
export { type EmulatorRtuOptions, type EmulatorRtuPort, serveRtu } from './emulators/emulator-rtu.js';
export { type EmulatorTcpOptions, type EmulatorTcpServer, serveTcp } from './emulators/emulator-tcp.js';
export {
  type BayStateInput,
  type EmulatorFault,
  ModbusEmulator,
  type ModbusEmulatorOptions,
  type RecordedRequest,
} from './emulators/modbus-emulator.js';
export { createPtyPair, type PtyPair } from './emulators/pty-pair.js';
export { parseUnits } from './emulators/unit-list.js';
export {
  serveVirtualTextSign,
  type VirtualSignFault,
  type VirtualTextSign,
  type VirtualTextSignOptions,
} from './emulators/virtual-text-sign.js';
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
export { createFakeDigitalIO, type FakeDigitalIO } from './gpio/digital-io-fake.js';
export { createDigitalIO, createOnoffDigitalIO, type OnoffDigitalIOOptions } from './gpio/digital-io-onoff.js';
export { findGpioChip, type GpioChipInfo, listGpioChips, PI_GPIO_LABELS } from './gpio/gpio-chip.js';
export { createBusScheduler, LATENCY_BOUNDS_MS } from './modbus/bus-scheduler.js';
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
export { MODBUS_EXCEPTION } from './modbus/modbus-exception-codes.js';
export type { ReopenOptions } from './modbus/modbus-link-client.js';
export { createSerialLink, type SerialLinkOptions } from './modbus/modbus-link-serial.js';
export { createTcpLink, type TcpLinkOptions } from './modbus/modbus-link-tcp.js';
export { createPoller } from './poller/poller.js';
export type { Poller, PollerDevice, PollerOptions } from './poller/poller-types.js';
export type {
  BayMeaning,
  DeviceProfile,
  PointDecode,
  ProfilePoint,
  SignSection,
  TextSignSection,
} from './profiles/device-profile.js';
export { DeviceProfileSchema } from './profiles/device-profile.js';
export {
  BUILTIN_PROFILE_DIR,
  builtinProfileNames,
  loadProfile,
  MAX_PROFILE_BYTES,
  parseProfile,
} from './profiles/load-profile.js';
export { validateProfile } from './profiles/validate-profile.js';
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
export { SIGN_ARROWS } from './signs/guidance-sign.js';
export { createModbusRegisterSign, type ModbusRegisterSignOptions } from './signs/modbus-register-sign.js';
export {
  createMultiTextSign,
  type MultiTextSign,
  type MultiTextSignConfig,
  type MultiTextSignOptions,
  multiParseConfig,
  TEXT_SIGN_FAULT_BITS,
  textSignConfig,
} from './signs/multi-text-sign.js';
export { createVirtualSign, type VirtualSign, type VirtualSignOptions } from './signs/virtual-sign.js';
export { type ListSerialPortsOptions, listSerialPorts, type SerialPortEntry } from './modbus/list-serial-ports.js';
export { profileJsonSchema } from './profiles/profile-json-schema.js';
