import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/io/npy.js';
import { AbortError } from '../../src/engine/errors.js';
import { prepareOutDir, removeMadeFolders, writeChunked, writeJsonFile, writeMapSet } from '../../src/data/io/write.js';
import { inputErrorAsync, inputErrorOf } from './input-error.js';

const root = mkdtempSync(join(tmpdir(), 'specmap-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prepareOutDir', () => {
  it('creates a missing folder (with parents) and accepts an empty one', () => {
    const dir = join(root, 'a', 'b');
    prepareOutDir(dir, false);
    expect(existsSync(dir)).toBe(true);
    prepareOutDir(dir, false);
  });

  it('refuses a non-empty folder without force, and a file', () => {
    const dir = join(root, 'full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    expect(inputErrorOf(() => prepareOutDir(dir, false))).toBe(
      `output folder ${dir} is not empty (use --force to write into it)`,
    );
    expect(inputErrorOf(() => prepareOutDir(join(dir, 'keep.txt'), true))).toBe(
      `output folder ${join(dir, 'keep.txt')} is a file`,
    );
  });

  it('returns the folders it made, which removeMadeFolders takes back while they are empty', () => {
    const top = join(root, 'made');
    const dir = join(top, 'x', 'y');
    expect(prepareOutDir(dir, false)).toEqual([top, join(top, 'x'), dir]);
    removeMadeFolders([top, join(top, 'x'), dir]);
    expect(existsSync(top)).toBe(false);
    const made = prepareOutDir(dir, false);
    writeFileSync(join(dir, 'result.npy'), 'kept');
    removeMadeFolders(made);
    expect(readFileSync(join(dir, 'result.npy'), 'utf8')).toBe('kept');
    expect(prepareOutDir(top, true)).toEqual([]);
  });

  it('a path through a file is one line in words, not an error code', () => {
    const file = join(root, 'plain.txt');
    writeFileSync(file, 'x');
    const dir = join(file, 'sub');
    expect(inputErrorOf(() => prepareOutDir(dir, false))).toBe(
      `output folder ${dir}: a part of the path is a file, not a folder`,
    );
    expect(inputErrorOf(() => prepareOutDir(join(dir, 'deeper'), false))).toBe(
      `output folder ${join(dir, 'deeper')}: a part of the path is a file, not a folder`,
    );
  });

  it('a folder that cannot be made is refused at once (under /proc mkdir answers ENOENT: no endless retry)', () => {
    const dir = '/proc/specmap-test-out/maps';
    expect(inputErrorOf(() => prepareOutDir(dir, false))).toMatch(
      /^output folder \/proc\/specmap-test-out\/maps: cannot create it \(/,
    );
  });

  it('with force writes into the folder: keeps other files, overwrites only what it writes', async () => {
    const dir = join(root, 'forced');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    writeFileSync(join(dir, 'area.npy'), 'stale');
    prepareOutDir(dir, true);
    const area = Float32Array.from({ length: 6 }, () => Math.random());
    const written = await writeMapSet(dir, { area: { data: area, shape: [2, 3] } });
    writeJsonFile(join(dir, 'summary.json'), { pixels: 6, bad: NaN });
    expect(written).toEqual([join(dir, 'area.npy'), join(dir, 'maps.csv')]);
    expect(readdirSync(dir).sort()).toEqual(['area.npy', 'keep.txt', 'maps.csv', 'summary.json']);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
    const back = parseNpy(readFileSync(join(dir, 'area.npy')), 'area.npy');
    expect([back.shape, Array.from(back.data)]).toEqual([[2, 3], Array.from(area)]);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toEqual({ pixels: 6, bad: null });
  });

  it('turns a write into a missing folder or onto a folder into one line', async () => {
    const gone = join(root, 'gone');
    expect(inputErrorOf(() => writeJsonFile(join(gone, 'x.json'), {}))).toBe(
      `cannot write ${join(gone, 'x.json')} (no such folder)`,
    );
    mkdirSync(join(root, 'area.npy'));
    expect(await inputErrorAsync(() => writeMapSet(root, { area: { data: new Float32Array(1), shape: [1] } }))).toBe(
      `cannot write ${join(root, 'area.npy')} (a folder of that name exists)`,
    );
    expect(readdirSync(root).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('refuses a map name that is not a plain file name', async () => {
    await expect(writeMapSet(root, { '../escape': { data: new Float32Array(1), shape: [1] } })).rejects.toThrow(
      "'../escape.npy' is not a safe file name",
    );
  });
});

describe('interrupted writes', () => {
  it('an abort inside a chunked file removes it and keeps the file it replaces', async () => {
    const dir = join(root, 'chunked');
    mkdirSync(dir);
    writeFileSync(join(dir, 'maps.csv'), 'previous');
    const ac = new AbortController();
    function* chunks() {
      yield 'a\n';
      yield 'b\n';
      ac.abort('interrupted');
      yield 'c\n';
    }
    await expect(writeChunked(join(dir, 'maps.csv'), chunks(), ac.signal)).rejects.toThrow(
      new AbortError('interrupted while writing maps.csv (the partial file was removed)'),
    );
    expect(readdirSync(dir)).toEqual(['maps.csv']);
    expect(readFileSync(join(dir, 'maps.csv'), 'utf8')).toBe('previous');
    await writeChunked(join(dir, 'maps.csv'), ['y,x\n', '0,0\n']);
    expect(readFileSync(join(dir, 'maps.csv'), 'utf8')).toBe('y,x\n0,0\n');
  });

  it('writeMapSet stops between files when aborted: finished files stay whole, no partial is left', async () => {
    const dir = join(root, 'between');
    mkdirSync(dir);
    const ac = new AbortController();
    const maps = {
      a: { data: Float32Array.of(1, 2), shape: [2] },
      b: { data: Float32Array.of(3, 4), shape: [2] },
    };
    const run = writeMapSet(dir, maps, { signal: ac.signal });
    ac.abort('interrupted');
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(readdirSync(dir).every((n) => /^[ab]\.npy$/.test(n))).toBe(true);
    for (const n of readdirSync(dir)) expect(parseNpy(readFileSync(join(dir, n)), n).shape).toEqual([2]);
  });
});
