/** The packages with native bindings, each loaded only when a transport that needs it is opened. */
import { lazyModule } from './lazy-module.js';

export const loadSerialPort = lazyModule('serialport', 'serial text signs and serial port listing', async () => {
  const { SerialPort } = await import('serialport');
  return SerialPort;
});

// modbus-serial is CommonJS with `module.exports.default = module.exports`: the class is `.default.default`.
// Its index loads serialport too, so only Modbus RTU uses it (Modbus TCP has its own client).
export const loadModbusRtu = lazyModule('modbus-serial', 'Modbus RTU links', async () => {
  const ModbusSerial = await import('modbus-serial');
  return ModbusSerial.default.default;
});

export const loadGpio = lazyModule('onoff', 'onoff GPIO', async () => {
  const { Gpio } = await import('onoff');
  return Gpio;
});
