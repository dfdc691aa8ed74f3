#!/usr/bin/python3
"""A Modbus slave that is not ours (pymodbus 3.0, Debian python3-pymodbus), for the poller's peer
tests: RTU on a serial device, or TCP on a local port. Unit 1 only; wire addresses (zero_mode):
holding 0-9 = 100..109, discrete 0-63 with bays 0, 5 and 63 set, input 0-1 = a 32-bit counter
0x0001E240 (123456), high word first. Anything else is an illegal address (exception 2); other unit
ids get no reply.

usage: pymodbus-server.py rtu <serial device> [baud]
       pymodbus-server.py tcp   (listens on a free local port, printed after "ready")
"""
import asyncio
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusSerialServer, ModbusTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer  # 3.0's serial default is ASCII


def main() -> None:
    mode = sys.argv[1]
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
        if mode == "tcp":
            # Port 0: the system picks a free one, printed after "ready" for the test to connect to.
            server = ModbusTcpServer(context, ModbusSocketFramer, address=("127.0.0.1", 0), ignore_missing_slaves=True)
            serving = asyncio.create_task(server.serve_forever())
            await server.serving
            print(f"ready {server.server.sockets[0].getsockname()[1]}", flush=True)
            await serving
            return
        baud = int(sys.argv[3]) if len(sys.argv) > 3 else 19200
        server = ModbusSerialServer(
            context, ModbusRtuFramer, port=sys.argv[2], baudrate=baud, ignore_missing_slaves=True, timeout=0.005
        )
        await server.start()
        print("ready", flush=True)
        await server.serve_forever()

    asyncio.run(run())


if __name__ == "__main__":
    main()
