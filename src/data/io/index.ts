// Browser-safe readers and encoders: bytes/text in, typed arrays and bytes out.
// Node-only file access (loadSpectrumImage, the writers) is in ./node.ts.
export {
  parseNpy,
  parseNpyHeader,
  decodeNpyValues,
  encodeNpy,
  SUPPORTED_DTYPES,
  type NpyArray,
  type NpyData,
  type NpyHeader,
} from './npy.js';
export { parseTextTable, parseNumber, type TextTable, type TextTableOptions, type Delimiter } from './text-table.js';
export { parseEmsa, EMSA_EXTENSIONS, type EmsaSpectrum } from './emsa.js';
export { checkEnergyAxis, decodeEnergyAxis, linearEnergy, unitFromName } from './energy-axis.js';
export { bytesSource, listNpzMembers, readNpzMember, type NpzMember, type NpzSource } from './npz.js';
export {
  decodeSpectrumImage,
  spectrumImageFromNpy,
  spectrumImageFromNpz,
  extensionOf,
  SPECTRA_EXTENSIONS,
  type DecodeOptions,
} from './decode-spectra.js';
export { encodeJson, formatFloat32, mapGrid, mapSetToCsv, summarizeMapSet, type MapSummary } from './encode-maps.js';
