import { describe, expect, it } from 'vitest';
import { adapterKindOf } from '../../src/engine/adapter-kind.js';

const info = (vendor: string, architecture: string, device: string, description: string, fallback = false) =>
  ({ vendor, architecture, device, description, isFallbackAdapter: fallback }) as unknown as GPUAdapterInfo;

describe('adapterKindOf', () => {
  it('names lavapipe, SwiftShader, other software and hardware adapters from their info', () => {
    expect(
      adapterKindOf(info('mesa', 'software', 'llvmpipe-llvm-15-0-6-512-bits-', 'llvmpipe: Mesa 25.0.7', true)),
    ).toBe('lavapipe');
    expect(
      adapterKindOf(info('google', 'swiftshader', 'swiftshader-device-subzero-', 'SwiftShader driver 5.0.0', true)),
    ).toBe('swiftshader');
    expect(adapterKindOf(info('microsoft', 'warp', 'basic-render', 'Microsoft Basic Render Driver', true))).toBe(
      'unknown',
    );
    expect(adapterKindOf(info('nvidia', 'hopper', 'nvidia-h100', 'NVIDIA H100 80GB HBM3'))).toBe('hardware');
    expect(adapterKindOf(info('', '', '', ''))).toBe('unknown');
    expect(adapterKindOf(undefined)).toBe('unknown');
  });
});
