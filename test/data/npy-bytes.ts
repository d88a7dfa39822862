// Test helper: .npy bytes written out by hand (independently of src/data/io/npy.ts's encoder),
// so the parser is checked against the format, not against our own writer.

export function npyBytes(
  header: string,
  payload: Uint8Array,
  { version = 1, pad = true }: { version?: 1 | 2 | 3; pad?: boolean } = {},
): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  let text = header;
  if (pad) while ((prefix + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const head = new TextEncoder().encode(text);
  const out = new Uint8Array(prefix + head.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, head.length, true);
  else view.setUint32(8, head.length, true);
  out.set(head, prefix);
  out.set(payload, prefix + head.length);
  return out;
}

export function dictFor(descr: string, shape: number[], fortran = false): string {
  const s = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${s}, }`;
}
