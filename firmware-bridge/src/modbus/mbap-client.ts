/**
 * A Modbus TCP master (MBAP header + PDU) over `node:net`, with the client surface
 * {@link ModbusClientLink} uses and `modbus-serial`'s error shapes. modbus-serial's own TCP client
 * would do, but loading modbus-serial loads serialport and its native binding as well (its index
 * requires the serial port classes eagerly): about 15 MB of RSS on a site that has no serial line.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { encodeMbapFrame, MBAP_HEADER_BYTES, mbapFrameBytes, readMbapHeader } from '../core/mbap-frame.js';
import { encodeRequest, type PduRequest, unpackBits } from '../core/modbus-pdu.js';
import type { ModbusClient } from './modbus-client.js';

interface Transaction {
  unitId: number;
  fc: number;
  timer: NodeJS.Timeout;
  settle: (reply: Uint8Array | Error) => void;
}

export class MbapClient extends EventEmitter implements ModbusClient {
  private socket: Socket | undefined;
  private unitId = 1;
  private timeoutMs = 1000;
  private lastTransactionId = 0;
  private received: Buffer = Buffer.alloc(0);
  private readonly transactions = new Map<number, Transaction>();

  get isOpen(): boolean {
    return this.socket !== undefined;
  }

  connect(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        this.socket = socket;
        socket.on('data', (chunk: Buffer) => this.receive(chunk));
        socket.on('error', (err) => this.emit('error', err));
        socket.on('close', () => {
          this.socket = undefined;
          this.received = Buffer.alloc(0);
          this.failAll(new Error('Port Not Open'));
          this.emit('close');
        });
        resolve();
      });
    });
  }

  close(callback: () => void): void {
    const socket = this.socket;
    if (socket === undefined) {
      callback();
      return;
    }
    socket.once('close', () => callback());
    socket.destroy();
  }

  setID(unitId: number): void {
    this.unitId = unitId;
  }

  setTimeout(timeoutMs: number): void {
    this.timeoutMs = timeoutMs;
  }

  async readCoils(address: number, count: number): Promise<{ data: boolean[] }> {
    return { data: readBits(await this.request({ fc: 1, address, count }), count) };
  }

  async readDiscreteInputs(address: number, count: number): Promise<{ data: boolean[] }> {
    return { data: readBits(await this.request({ fc: 2, address, count }), count) };
  }

  async readHoldingRegisters(address: number, count: number): Promise<{ data: number[] }> {
    return { data: readRegisters(await this.request({ fc: 3, address, count }), count) };
  }

  async readInputRegisters(address: number, count: number): Promise<{ data: number[] }> {
    return { data: readRegisters(await this.request({ fc: 4, address, count }), count) };
  }

  async writeCoil(address: number, value: boolean): Promise<void> {
    expectLength(await this.request({ fc: 5, address, value }), 5);
  }

  async writeCoils(address: number, values: boolean[]): Promise<void> {
    expectLength(await this.request({ fc: 15, address, values }), 5);
  }

  async writeRegister(address: number, value: number): Promise<void> {
    expectLength(await this.request({ fc: 6, address, value }), 5);
  }

  async writeRegisters(address: number, values: number[]): Promise<void> {
    expectLength(await this.request({ fc: 16, address, values }), 5);
  }

  private request(request: PduRequest): Promise<Uint8Array> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(new Error('Port Not Open'));
    this.lastTransactionId = (this.lastTransactionId % 0xffff) + 1;
    const transactionId = this.lastTransactionId;
    const frame = encodeMbapFrame(transactionId, this.unitId, encodeRequest(request));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.transactions.delete(transactionId);
        reject(Object.assign(new Error('Timed out'), { name: 'TransactionTimedOutError', errno: 'ETIMEDOUT' }));
      }, this.timeoutMs);
      this.transactions.set(transactionId, {
        unitId: this.unitId,
        fc: request.fc,
        timer,
        settle: (reply) => {
          clearTimeout(timer);
          this.transactions.delete(transactionId);
          if (reply instanceof Error) reject(reply);
          else resolve(reply);
        },
      });
      socket.write(frame);
    });
  }

  private receive(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    for (let header = readMbapHeader(this.received); header !== undefined; header = readMbapHeader(this.received)) {
      const frameBytes = mbapFrameBytes(header);
      if (this.received.length < frameBytes) return;
      const pdu = this.received.subarray(MBAP_HEADER_BYTES, frameBytes);
      this.received = this.received.subarray(frameBytes);
      // A reply to a request that already timed out has no transaction left: it is dropped.
      const transaction = this.transactions.get(header.transactionId);
      if (transaction !== undefined) transaction.settle(checkReply(transaction, header.unitId, pdu));
    }
  }

  private failAll(err: Error): void {
    for (const transaction of [...this.transactions.values()]) transaction.settle(err);
  }
}

function checkReply(transaction: Transaction, unitId: number, pdu: Uint8Array): Uint8Array | Error {
  if (unitId !== transaction.unitId) return new Error(`Unexpected unit id ${unitId}, expected ${transaction.unitId}`);
  if (pdu[0] === (transaction.fc | 0x80) && pdu.length >= 2) {
    return Object.assign(new Error(`Modbus exception ${pdu[1]}`), { modbusCode: pdu[1]! });
  }
  if (pdu[0] !== transaction.fc) return new Error(`Unexpected function code ${pdu[0]}, expected ${transaction.fc}`);
  return pdu;
}

function readBits(pdu: Uint8Array, count: number): boolean[] {
  expectLength(pdu, 2 + Math.ceil(count / 8));
  return unpackBits(pdu.subarray(2), count);
}

function readRegisters(pdu: Uint8Array, count: number): number[] {
  expectLength(pdu, 2 + 2 * count);
  const view = new DataView(pdu.buffer, pdu.byteOffset, pdu.byteLength);
  return Array.from({ length: count }, (_, i) => view.getUint16(2 + 2 * i));
}

function expectLength(pdu: Uint8Array, bytes: number): void {
  const declared = pdu[1];
  const isRead = pdu[0]! <= 4;
  if (pdu.length !== bytes || (isRead && declared !== bytes - 2)) {
    throw new Error(`Data length error, expected ${bytes} got ${pdu.length}`);
  }
}
