// Which way the fit report draws energy: binding energy decreasing to the right, as XPS users
// read spectra, kinetic energy increasing. The axis kind comes from what the run says about it:
// the background's orientation ('shirley'/'tougaard' model losses towards higher binding energy,
// 'shirleyKE'/'tougaardKE' towards lower kinetic energy), else the energy unit when it names the
// kind ('eV BE', 'binding energy (eV)'), else the order the axis was measured in (instruments that
// record binding energy save it descending).
import type { SpectrumImage } from '../../data/types.js';
import type { BackgroundComponent } from '../../methods/peaks/model.js';
import { descendingAxis } from '../../report/svg-frame.js';

export type EnergyKind = 'binding' | 'kinetic';

/** The axis kind the background components or the unit state, or null when neither does. */
export function energyKind(
  image: Pick<SpectrumImage, 'energyUnit'>,
  background: readonly BackgroundComponent[] = [],
): EnergyKind | null {
  if (background.some((b) => b === 'shirley' || b === 'tougaard')) return 'binding';
  if (background.some((b) => b === 'shirleyKE' || b === 'tougaardKE')) return 'kinetic';
  const unit = image.energyUnit;
  if (/binding|\bB\.?E\b/i.test(unit)) return 'binding';
  if (/kinetic|\bK\.?E\b/i.test(unit)) return 'kinetic';
  return null;
}

/** Whether the report's energy axes decrease to the right: `explicit` (the caller's choice) when
 *  given, else by the axis kind, else when the axis descends. */
export function energyDecreasesToRight(
  image: Pick<SpectrumImage, 'energyUnit' | 'energy'>,
  background?: readonly BackgroundComponent[],
  explicit?: boolean,
): boolean {
  if (explicit !== undefined) return explicit;
  const kind = energyKind(image, background);
  return kind === null ? descendingAxis(image.energy) : kind === 'binding';
}
