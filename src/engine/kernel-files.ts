// Every kernel file, by its path under kernels/ without the suffix: the engine resolves a kernel's
// name and its `// #import` lines here (esbuild and vitest load .wgsl as text). A test checks that
// every file under kernels/ is listed.

import bayesRemc from '../../kernels/bayes/remc.wgsl';
import engineFmaPeak from '../../kernels/engine/fma_peak.wgsl';
import engineLoadPeak from '../../kernels/engine/load_peak.wgsl';
import libIndex from '../../kernels/lib/index.wgsl';
import libReduce from '../../kernels/lib/reduce.wgsl';
import libRng from '../../kernels/lib/rng.wgsl';
import mrfBlocksMat from '../../kernels/mrf/blocks_mat.wgsl';
import mrfBlocksVec4 from '../../kernels/mrf/blocks_vec4.wgsl';
import mrfClassDist from '../../kernels/mrf/class_dist.wgsl';
import mrfClasses from '../../kernels/mrf/classes.wgsl';
import mrfCountsFlush from '../../kernels/mrf/counts_flush.wgsl';
import mrfGibbs from '../../kernels/mrf/gibbs.wgsl';
import mrfLattice from '../../kernels/mrf/lattice.wgsl';
import mrfLoglik from '../../kernels/mrf/loglik.wgsl';
import mrfNearest from '../../kernels/mrf/nearest.wgsl';
import mrfPacked from '../../kernels/mrf/packed.wgsl';
import mrfStats from '../../kernels/mrf/stats.wgsl';
import mrfSummary from '../../kernels/mrf/summary.wgsl';
import mrfWords from '../../kernels/mrf/words.wgsl';
import nmfAbt from '../../kernels/nmf/abt.wgsl';
import nmfAtb from '../../kernels/nmf/atb.wgsl';
import nmfHalsRows from '../../kernels/nmf/hals_rows.wgsl';
import nmfInverse from '../../kernels/nmf/inverse.wgsl';
import nmfModelError from '../../kernels/nmf/model_error.wgsl';
import nmfMu from '../../kernels/nmf/mu.wgsl';
import nmfReduceSlices from '../../kernels/nmf/reduce_slices.wgsl';
import nmfScaleColumns from '../../kernels/nmf/scale_columns.wgsl';
import nmfTranspose from '../../kernels/nmf/transpose.wgsl';
import peaksConverge from '../../kernels/peaks/converge.wgsl';
import peaksCtl from '../../kernels/peaks/ctl.wgsl';
import peaksEmPixel from '../../kernels/peaks/em_pixel.wgsl';
import peaksEmWorkgroup from '../../kernels/peaks/em_workgroup.wgsl';
import peaksEstep from '../../kernels/peaks/estep.wgsl';
import peaksLayout from '../../kernels/peaks/layout.wgsl';
import peaksMstep from '../../kernels/peaks/mstep.wgsl';
import peaksTougaard from '../../kernels/peaks/tougaard.wgsl';
import peaksWindow from '../../kernels/peaks/window.wgsl';

export const kernelFiles: Readonly<Record<string, string>> = {
  'bayes/remc': bayesRemc,
  'engine/fma_peak': engineFmaPeak,
  'engine/load_peak': engineLoadPeak,
  'lib/index': libIndex,
  'lib/reduce': libReduce,
  'lib/rng': libRng,
  'mrf/blocks_mat': mrfBlocksMat,
  'mrf/blocks_vec4': mrfBlocksVec4,
  'mrf/class_dist': mrfClassDist,
  'mrf/classes': mrfClasses,
  'mrf/counts_flush': mrfCountsFlush,
  'mrf/gibbs': mrfGibbs,
  'mrf/lattice': mrfLattice,
  'mrf/loglik': mrfLoglik,
  'mrf/nearest': mrfNearest,
  'mrf/packed': mrfPacked,
  'mrf/stats': mrfStats,
  'mrf/summary': mrfSummary,
  'mrf/words': mrfWords,
  'nmf/abt': nmfAbt,
  'nmf/atb': nmfAtb,
  'nmf/hals_rows': nmfHalsRows,
  'nmf/inverse': nmfInverse,
  'nmf/model_error': nmfModelError,
  'nmf/mu': nmfMu,
  'nmf/reduce_slices': nmfReduceSlices,
  'nmf/scale_columns': nmfScaleColumns,
  'nmf/transpose': nmfTranspose,
  'peaks/converge': peaksConverge,
  'peaks/ctl': peaksCtl,
  'peaks/em_pixel': peaksEmPixel,
  'peaks/em_workgroup': peaksEmWorkgroup,
  'peaks/estep': peaksEstep,
  'peaks/layout': peaksLayout,
  'peaks/mstep': peaksMstep,
  'peaks/tougaard': peaksTougaard,
  'peaks/window': peaksWindow,
};
