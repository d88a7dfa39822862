// Node-only file access: the CLI and benches import this; the library entry (src/index.ts) must not.
export { loadSpectrumImage, readInputFile, withInputFile, type LoadOptions } from './load.js';
export { readNpyAsFloat32 } from './npy-file.js';
export { prepareOutDir, removeMadeFolders, undoFoldersOnError, writeJsonFile, writeMapSet, writeNpyFile, writeOutput } from './write.js';
