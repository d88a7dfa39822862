// Node-only file access: the CLI and benches import this; the library entry (src/index.ts) must not.
export { isHdf5Input, loadSpectrumImage, splitHdf5Ref, splitNpzRef, type LoadOptions } from './load.js';
export { readInputFile, withInputFile } from './input-file.js';
export { HDF5_EXTENSIONS, withHdf5File, listDatasets, type Hdf5DatasetInfo } from './hdf5-file.js';
export { readNpyAsFloat32 } from './npy-file.js';
export {
  checkpoint,
  prepareOutDir,
  removeMadeFolders,
  undoFoldersOnError,
  writeJsonFile,
  writeMapSet,
  writeNpyFile,
  writeOutput,
} from './write.js';
