#!/usr/bin/env node
import { runAdminCommand } from './admin-commands.js';

const code = await runAdminCommand(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
