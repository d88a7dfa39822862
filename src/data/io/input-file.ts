// Node-only: open an input file for reading, turning file-system failures into one-line
// InputErrors that name the file.
import { closeSync, existsSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { InputError } from '../../engine/errors.js';

function fileError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`${path}: cannot read it (permission denied)`);
  if (code === 'ERR_FS_FILE_TOO_LARGE')
    return new InputError(
      `${path}: larger than 2 GiB, too big to read as text: save the spectra as .npy (read in chunks, any size)`,
    );
  return new InputError(`${path}: cannot read it (${code ?? (e as Error).message})`);
}

/** Real paths of every file this process has opened as input: writers refuse to overwrite them. */
const inputsRead = new Set<string>();

/** True when `path` exists and is (a link to) a file this process has read as input. */
export function isInputFile(path: string): boolean {
  if (inputsRead.size === 0 || !existsSync(path)) return false;
  try {
    return inputsRead.has(realpathSync(path));
  } catch {
    return false;
  }
}

/**
 * Open `path`, run `read` on the descriptor, close it. File-system failures (missing, a folder,
 * unreadable, I/O errors) become InputErrors naming the file; read's own InputErrors pass through.
 */
export function withInputFile<T>(path: string, read: (fd: number) => T): T {
  let fd: number;
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path}: is a folder, not a file`);
    fd = openSync(path, 'r');
    inputsRead.add(realpathSync(path));
  } catch (e) {
    throw e instanceof InputError ? e : fileError(path, e);
  }
  try {
    return read(fd);
  } catch (e) {
    throw e instanceof InputError || !(e as NodeJS.ErrnoException).code ? e : fileError(path, e);
  } finally {
    closeSync(fd);
  }
}

/** The bytes of a file, or an InputError naming it (missing, a folder, unreadable). */
export function readInputFile(path: string): Uint8Array {
  return withInputFile(path, (fd) => readFileSync(fd));
}
