// Which kind of WebGPU adapter runs the kernels: kernels and chunk sizes may differ per kind.

export type AdapterKind = 'hardware' | 'lavapipe' | 'swiftshader' | 'browser' | 'unknown';

/** The kind of an adapter from its reported info: Mesa's lavapipe (llvmpipe), Google's SwiftShader,
 * another software adapter ('unknown'), or a hardware GPU. No info at all is 'unknown'. */
export function adapterKindOf(info: GPUAdapterInfo | undefined): AdapterKind {
  if (!info) return 'unknown';
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  if (/llvmpipe|lavapipe/i.test(text)) return 'lavapipe';
  if (/swiftshader/i.test(text)) return 'swiftshader';
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  if (fallback || /software|\bcpu\b/i.test(text)) return 'unknown';
  return text.trim().length > 0 ? 'hardware' : 'unknown';
}
