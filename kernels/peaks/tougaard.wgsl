// #import lib/index
// #import peaks/ctl
// Tougaard's universal background of every pixel's measured counts, once per chunk before the EM
// (the float64 reference is src/methods/peaks/components.ts tougaardTemplate): one thread per pixel,
//   u_n = sum over the loss side m of K(T_nm) y_m,   K(T) proportional to T / (1 + T^2 / C')^2,
// T_nm = |x'_n - x'_m| on the scaled axis (C' = C / scale^2, and C'^2 K' = K'' as written here: a
// constant factor, which the normalisation removes, chosen so that neither a large nor a small C'
// overflows float32), then f'_T(x_n) = u_n / sum_n u_n w'_n (w' the channel widths): the density per
// scaled unit the E-step multiplies into its Tougaard lane (estep.wgsl TOUGAARD). All zero when
// nothing lies on any channel's loss side (as the reference).
//
// The density goes into the second half of the EM kernels' per-channel scratch (`lm_prev` there,
// `out` here): same layout as the counts, at offset npix * C. The EM kernels already bind the
// default limit of 8 storage buffers, so the template shares that buffer instead of taking a 9th.
//
// Defines: C (channels), AX (vec4s per channel of the axis buffer), CV (index of the (x', w', 0, 0)
// vec4 within a channel), WG (workgroup size), CHANNEL_MAJOR (bool: counts [C][npix] as em_pixel
// reads them, else [npix][C] as em_workgroup), LOSS_BELOW (bool: the loss side of channel n is
// m < n, else m > n: set from the axis direction and the component's side), INV_C (f32: 1 / C').

@group(0) @binding(0) var<storage, read> counts: array<f32>;
@group(0) @binding(1) var<storage, read> axis: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> ctl: Ctl;

fn at(i: u32, n: u32) -> u32 {
  if (CHANNEL_MAJOR) {
    return n * ctl.npix + i;
  }
  return i * C + n;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_workgroup(wid, nwg) * WG + lid;
  let np = ctl.npix;
  if (i >= np) {
    return;
  }
  let off = np * C;
  var norm = 0.0;
  for (var n = 0u; n < C; n++) {
    let xw = axis[n * AX + CV];
    var lo = n + 1u;
    var hi = C;
    if (LOSS_BELOW) {
      lo = 0u;
      hi = n;
    }
    var u = 0.0;
    for (var m = lo; m < hi; m++) {
      let y = counts[at(i, m)];
      if (y > 0.0) {
        let t = abs(xw.x - axis[m * AX + CV].x);
        let d = fma(t * t, INV_C, 1.0);
        u += y * t / (d * d);
      }
    }
    out[off + at(i, n)] = u;
    norm += u * xw.y;
  }
  var scale = 0.0;
  if (norm > 0.0 && norm < 3.4e38) {
    scale = 1.0 / norm;
  }
  for (var n = 0u; n < C; n++) {
    let a = off + at(i, n);
    out[a] = select(0.0, out[a] * scale, scale > 0.0);
  }
}
