/**
 * Reads a small configuration file (a site file, a profile, a secret) that someone else named:
 * it must be a regular file no larger than a cap. A FIFO, a device (`/dev/zero`), a directory or
 * a socket is refused at once, without blocking: the file is opened non-blocking and checked
 * with `fstat` before a byte is read, and never more than the cap (plus one byte) is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type BoundedRead = { ok: true; text: string } | { ok: false; message: string };

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The file's text (UTF-8), or why it cannot be read: missing, not a regular file, larger than `maxBytes`. */
export function readBoundedText(path: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait for one forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, message: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, message: `${kindOf(stat)}, expected a regular file` };
    if (stat.size > maxBytes) return { ok: false, message: `${stat.size} bytes, at most ${maxBytes} expected` };
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    // The file may grow between fstat and read: never read past the cap.
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) return { ok: false, message: `more than ${maxBytes} bytes` };
    }
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') };
  } catch (err) {
    return { ok: false, message: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  } finally {
    closeSync(fd);
  }
}
