/** Modbus TCP (MBAP) to a device or a TCP-to-RS-485 gateway. */
import type { Logger } from '@citybay/common';
import { MbapClient } from './mbap-client.js';
import type { ModbusLink } from './modbus-link.js';
import { ModbusClientLink, type ReopenOptions } from './modbus-link-client.js';

export interface TcpLinkOptions extends ReopenOptions {
  host: string;
  /** Default 502. */
  port?: number;
  /** Default request timeout, in ms. Default 1000. */
  timeoutMs?: number;
  logger?: Logger;
}

export function createTcpLink(options: TcpLinkOptions): ModbusLink {
  const port = options.port ?? 502;
  return new ModbusClientLink({
    ...options,
    transport: 'tcp',
    endpoint: `${options.host}:${port}`,
    lineTiming: undefined,
    timeoutMs: options.timeoutMs ?? 1000,
    createClient: async () => new MbapClient(),
    connect: (client) => client.connect(options.host, port),
  });
}
