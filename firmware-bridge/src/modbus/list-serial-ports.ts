/**
 * Lists serial ports. `SerialPort.list()` spawns `udevadm`, which containers lack; then the list
 * falls back to the usual device nodes in `/dev` (without USB vendor details), as it does when
 * `serialport` (loaded here on first use) cannot be loaded.
 */
import { readdir } from 'node:fs/promises';
import { loadSerialPort } from '../io/native-modules.js';

export interface SerialPortEntry {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

const DEVICE_NAME = /^tty(USB|ACM|AMA|S|XRUSB|mxc)[0-9]+$/;

export interface ListSerialPortsOptions {
  /** Where to look for device nodes when the system list fails. Default `/dev`. */
  devDir?: string;
  /** The system list. Default `SerialPort.list`. */
  list?: () => Promise<(SerialPortEntry & { manufacturer?: string | undefined })[]>;
}

export async function listSerialPorts(options: ListSerialPortsOptions = {}): Promise<SerialPortEntry[]> {
  const devDir = options.devDir ?? '/dev';
  try {
    const ports = await (options.list ?? (async () => (await loadSerialPort()).list()))();
    return ports.map((port) => ({
      path: port.path,
      ...(port.manufacturer === undefined ? {} : { manufacturer: port.manufacturer }),
      ...(port.serialNumber === undefined ? {} : { serialNumber: port.serialNumber }),
      ...(port.vendorId === undefined ? {} : { vendorId: port.vendorId }),
      ...(port.productId === undefined ? {} : { productId: port.productId }),
    }));
  } catch {
    try {
      const names = await readdir(devDir);
      return names
        .filter((name) => DEVICE_NAME.test(name))
        .sort()
        .map((name) => ({ path: `${devDir}/${name}` }));
    } catch {
      return [];
    }
  }
}
