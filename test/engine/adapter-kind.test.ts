// adapterKindOf: the adapter kinds the kernels are specialised by, from the adapter info strings
// Dawn reports (the two software adapters' strings as seen on the development machine).
import { describe, expect, it } from 'vitest';
import { adapterKindOf } from '../../src/engine/adapter-kind.js';

const info = (vendor: string, architecture: string, device: string, description: string, fallback = false) =>
  ({ vendor, architecture, device, description, isFallbackAdapter: fallback }) as unknown as GPUAdapterInfo;

describe('adapterKindOf', () => {
  it('names lavapipe (llvmpipe), SwiftShader and a hardware GPU', () => {
    expect(
      adapterKindOf(
        info(
          'mesa',
          'software',
          'llvmpipe-llvm-15-0-6-512-bits-',
          'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
        ),
      ),
    ).toBe('lavapipe');
    expect(
      adapterKindOf(info('google', 'swiftshader', 'swiftshader-device-subzero-', 'SwiftShader driver 5.0.0')),
    ).toBe('swiftshader');
    expect(adapterKindOf(info('nvidia', 'hopper', '', 'NVIDIA H100 80GB HBM3'))).toBe('hardware');
  });
  it('says unknown when the info is missing, empty or an unnamed software fallback', () => {
    expect(adapterKindOf(undefined)).toBe('unknown');
    expect(adapterKindOf(info('', '', '', ''))).toBe('unknown');
    expect(adapterKindOf(info('acme', '', '', 'some cpu renderer', true))).toBe('unknown');
  });
});
