/**
 * What {@link ModbusClientLink} needs of a Modbus master: `modbus-serial`'s client (RTU) and
 * {@link MbapClient} (TCP) both have it. Errors follow `modbus-serial`'s shapes, which
 * `mapModbusError` reads: `modbusCode` on an exception reply, `TransactionTimedOutError` on silence.
 */
export interface ModbusClient {
  readonly isOpen: boolean;
  setID(unitId: number): void;
  setTimeout(timeoutMs: number): void;
  /** `buffer`: the reply's data bytes as its byte count field declared them (`modbus-serial` only). */
  readCoils(address: number, count: number): Promise<{ data: boolean[]; buffer?: Uint8Array }>;
  readDiscreteInputs(address: number, count: number): Promise<{ data: boolean[]; buffer?: Uint8Array }>;
  readHoldingRegisters(address: number, count: number): Promise<{ data: number[]; buffer?: Uint8Array }>;
  readInputRegisters(address: number, count: number): Promise<{ data: number[]; buffer?: Uint8Array }>;
  writeCoil(address: number, value: boolean): Promise<unknown>;
  writeCoils(address: number, values: boolean[]): Promise<unknown>;
  writeRegister(address: number, value: number): Promise<unknown>;
  writeRegisters(address: number, values: number[]): Promise<unknown>;
  on(event: 'close', listener: () => unknown): unknown;
  on(event: 'error', listener: (error: unknown) => unknown): unknown;
  close(callback: () => void): void;
}
