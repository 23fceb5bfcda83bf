import { constants, promises as fs } from 'node:fs';
import { CamtrackError, toErrorInfo } from './errors';

/** Reads a whole file; failures become CamtrackErrors that name the path (missing, permission, ...). */
export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(file);
  } catch (e) {
    if (e instanceof CamtrackError) throw e;
    const info = toErrorInfo(e);
    throw new CamtrackError(info.code === 'internal' ? 'bad-file' : info.code, info.message, { cause: e });
  }
}

const KINDS: [keyof import('node:fs').Stats, string][] = [
  ['isFIFO', 'a FIFO (named pipe)'],
  ['isCharacterDevice', 'a character device'],
  ['isBlockDevice', 'a block device'],
  ['isSocket', 'a socket'],
];

/**
 * Opens a file a person named and checks what it is before reading a byte: a FIFO, a device or a
 * socket is refused by name (a plain open would wait for a writer forever, a device never ends),
 * a folder fails as fs.readFile does (EISDIR), a NUL in the path is refused as no file name can
 * hold one. The open does not block (O_NONBLOCK) and the check is on the opened file (fstat), so
 * nothing can be swapped in between. The caller gets the open handle and closes it.
 */
async function openRegular(file: string): Promise<{ handle: fs.FileHandle; size: number }> {
  if (file.includes('\0'))
    throw new CamtrackError(
      'bad-input',
      `The path ${JSON.stringify(file)} holds a NUL character, which no file name can.`,
    );
  // O_NONBLOCK is not defined on Windows, where opening a named pipe does not wait either.
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await handle.stat();
    if (st.isDirectory())
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), {
        code: 'EISDIR',
        path: file,
      });
    if (!st.isFile()) {
      const kind = KINDS.find(([k]) => (st[k] as () => boolean).call(st))?.[1] ?? 'not a regular file';
      throw new CamtrackError('bad-input', `${file} is ${kind}, not a regular file: choose the file itself.`);
    }
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * fs.readFile for files a person named (photos, depth maps, camera and lambda files): the same
 * errors for a missing file or a folder, but a FIFO or device is refused instead of read, and a
 * file larger than `maxBytes` is refused before it is read.
 */
export async function readRegularFile(file: string, maxBytes = Infinity): Promise<Uint8Array> {
  const { handle, size } = await openRegular(file);
  try {
    if (size > maxBytes)
      throw new CamtrackError('bad-input', `${file} is ${size} bytes; at most ${maxBytes} are read for it.`);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/** The same check without reading, for a file another library opens by its path (sharp, ffmpeg). */
export async function checkRegularFile(file: string): Promise<void> {
  await (await openRegular(file)).handle.close();
}

/** readRegularFile as UTF-8 text. */
export async function readRegularText(file: string, maxBytes = Infinity): Promise<string> {
  return Buffer.from(await readRegularFile(file, maxBytes)).toString('utf8');
}
