#!/usr/bin/python3
"""A Modbus RTU slave that is not ours (pymodbus 3.0, Debian python3-pymodbus), for the poller's
peer test. Unit 1 only; wire addresses (zero_mode): holding 0-9 = 100..109, discrete 0-63 with
bays 0, 5 and 63 set, input 0-1 = a 32-bit counter 0x0001E240 (123456), high word first.
Anything else is an illegal address (exception 2); other unit ids get no reply.

usage: pymodbus-rtu-server.py <serial device> [baud]
"""
import asyncio
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusSerialServer
from pymodbus.transaction import ModbusRtuFramer  # 3.0 defaults to ASCII: RTU must be asked for


def main() -> None:
    port = sys.argv[1]
    baud = int(sys.argv[2]) if len(sys.argv) > 2 else 19200
    bays = [False] * 64
    for bay in (0, 5, 63):
        bays[bay] = True
    unit = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, bays),
        co=ModbusSequentialDataBlock(0, [False] * 8),
        hr=ModbusSequentialDataBlock(0, list(range(100, 110))),
        ir=ModbusSequentialDataBlock(0, [0x0001, 0xE240]),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves={1: unit}, single=False)

    async def run() -> None:
        server = ModbusSerialServer(
            context, ModbusRtuFramer, port=port, baudrate=baud, ignore_missing_slaves=True, timeout=0.005
        )
        await server.start()
        print("ready", flush=True)
        await server.serve_forever()

    asyncio.run(run())


if __name__ == "__main__":
    main()
