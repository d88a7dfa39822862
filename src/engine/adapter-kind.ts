// Which kind of WebGPU adapter runs the kernels, read from the adapter info's strings. Kernels
// whose best form differs between adapters (SwiftShader's Subzero JIT, lavapipe's LLVM JIT, a
// hardware GPU) are specialised by it.

export type AdapterKind = 'hardware' | 'lavapipe' | 'swiftshader' | 'browser' | 'unknown';

/** The kind of adapter `info` describes (vendor, architecture, device and description strings). */
export function adapterKindOf(info: GPUAdapterInfo | undefined): AdapterKind {
  if (!info) return 'unknown';
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  if (/swiftshader|subzero/i.test(text)) return 'swiftshader';
  if (/llvmpipe|lavapipe/i.test(text)) return 'lavapipe';
  if ((info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true || /software|\bcpu\b/i.test(text))
    return 'unknown';
  return text.trim().length > 0 ? 'hardware' : 'unknown';
}
