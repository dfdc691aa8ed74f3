/**
 * Runs the emulated field for the site benchmark in its own process (so that the edge's CPU and
 * memory are measured alone): `buses` Modbus TCP servers with `unitsPerBus` bit-per-bay-64 units each,
 * plus a Modbus sign; flips random bays at `flipsPerS`. Prints one JSON line with the ports.
 */
import { loadProfile, ModbusEmulator, serveTcp } from '@citybay/firmware-bridge';

const [buses = 4, unitsPerBus = 8, flipsPerS = 20] = process.argv.slice(2).map(Number);
const profile = await loadProfile('bit-per-bay-64');
const emulators: ModbusEmulator[] = [];
const ports: number[] = [];
for (let b = 0; b < buses; b++) {
  const emulator = new ModbusEmulator({
    profile,
    unitIds: Array.from({ length: unitsPerBus }, (_, u) => u + 1),
    recordLimit: 100,
  });
  emulators.push(emulator);
  ports.push((await serveTcp(emulator)).port);
}
const signEmulator = new ModbusEmulator({ profile: await loadProfile('modbus-sign'), unitIds: [10], recordLimit: 100 });
const signPort = (await serveTcp(signEmulator)).port;
let seed = 1;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
for (const emulator of emulators)
  for (const unit of emulator.unitIds) for (let bay = 0; bay < 64; bay++) emulator.setBay(unit, bay, random() < 0.6);
setInterval(() => {
  for (let i = 0; i < flipsPerS / 10; i++) {
    const emulator = emulators[Math.floor(random() * emulators.length)]!;
    const unit = 1 + Math.floor(random() * unitsPerBus);
    emulator.setBay(unit, Math.floor(random() * 64), random() < 0.6);
  }
}, 100);
console.log(JSON.stringify({ ports, signPort }));
