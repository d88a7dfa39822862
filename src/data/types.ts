// The data every method takes and every result gives back: plain typed arrays and small objects
// that serialise to .npy / CSV / JSON without custom code.

/** A spectrum image: `ny × nx` pixels (a list of spectra has ny = 1), each with `channels` values. */
export interface SpectrumImage {
  /** Row-major [ny, nx, channels] (pixel-major: one spectrum after another). */
  data: Float32Array;
  ny: number;
  nx: number;
  channels: number;
  /** Energy of each channel (length = channels), ascending or descending as measured. */
  energy: Float64Array;
  /** Unit of the energy axis: 'eV', 'keV', or 'channel' when none was given. */
  energyUnit: string;
  /** 'map' for an image, 'list' for a table of spectra without spatial layout. */
  layout: 'map' | 'list';
  /** Where it came from, dtype, generator parameters... */
  meta: Record<string, unknown>;
}

/** One named result map (or stack of maps): row-major data with its shape, e.g. [ny, nx] or [k, ny, nx]. */
export interface NamedMap {
  data: Float32Array;
  shape: number[];
  /** Unit of the values ('eV', 'counts', '' for dimensionless). */
  unit?: string;
  description?: string;
}

export type MapSet = Record<string, NamedMap>;

export function pixelCount(img: Pick<SpectrumImage, 'ny' | 'nx'>): number {
  return img.ny * img.nx;
}

/** A view of pixel p's spectrum (no copy). */
export function spectrumOf(img: SpectrumImage, p: number): Float32Array {
  return img.data.subarray(p * img.channels, (p + 1) * img.channels);
}

/** Build a SpectrumImage, checking that the sizes agree (throws InputError-worthy messages). */
export function makeSpectrumImage(
  data: Float32Array,
  ny: number,
  nx: number,
  channels: number,
  energy?: Float64Array,
  extra: Partial<Pick<SpectrumImage, 'energyUnit' | 'layout' | 'meta'>> = {},
): SpectrumImage {
  if (data.length !== ny * nx * channels) {
    throw new Error(
      `data has ${data.length} values but ${ny}×${nx} pixels × ${channels} channels = ${ny * nx * channels}`,
    );
  }
  if (energy && energy.length !== channels) {
    throw new Error(`energy axis has ${energy.length} values but the spectra have ${channels} channels`);
  }
  return {
    data,
    ny,
    nx,
    channels,
    energy: energy ?? Float64Array.from({ length: channels }, (_, i) => i),
    energyUnit: extra.energyUnit ?? (energy ? 'eV' : 'channel'),
    layout: extra.layout ?? (ny === 1 ? 'list' : 'map'),
    meta: extra.meta ?? {},
  };
}
