// Prints the MULTI strings of the table, one per line, for run.sh.
import { MULTI_CASES } from '../../core/multi-table.js';

process.stdout.write(`${MULTI_CASES.map((c) => c.multi).join('\n')}\n`);
