// Test helper: write small HDF5 / NeXus files with h5wasm itself.
import h5wasm, { type Dataset, type File as H5File, type Group } from 'h5wasm/node';

/** Create `path` (overwriting), let `build` fill it, close it; returns the path. */
export async function writeH5(path: string, build: (f: H5File) => void): Promise<string> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'w');
  try {
    build(f);
  } finally {
    f.close();
  }
  return path;
}

type Data = Float32Array | Float64Array | Int16Array | Int32Array | Uint16Array | Uint8Array | BigInt64Array;

export function dataset(g: Group, name: string, data: Data, shape: number[]): void {
  g.create_dataset({ name, data, shape });
}

/** The NeXus default chain /entry (NXentry, @default data) / data (NXdata, @signal): returns both groups. */
export function nxdataGroup(f: H5File, signalName: string): { entry: Group; data: Group } {
  f.create_attribute('default', 'entry');
  const entry = f.create_group('entry');
  entry.create_attribute('NX_class', 'NXentry');
  entry.create_attribute('default', 'data');
  const data = entry.create_group('data');
  data.create_attribute('NX_class', 'NXdata');
  data.create_attribute('signal', signalName);
  return { entry, data };
}

/** A NeXus file: /entry (NXentry) / data (NXdata) holding `signal` with @axes [..., axis]. */
export function nexusTree(
  f: H5File,
  signal: { name: string; data: Data; shape: number[] },
  axis?: { name: string; values: Float64Array; units?: string },
): Group {
  const { entry, data } = nxdataGroup(f, signal.name);
  dataset(data, signal.name, signal.data, signal.shape);
  if (axis) {
    const dims = signal.shape.length === 3 ? ['y', 'x', axis.name] : ['.', axis.name];
    data.create_attribute('axes', dims);
    data.create_dataset({ name: axis.name, data: axis.values });
    if (axis.units) (data.get(axis.name) as Dataset).create_attribute('units', axis.units);
  }
  return entry;
}
