// #import peaks/ctl
// The layouts both EM kernels (em_pixel.wgsl, em_workgroup.wgsl) share: their bindings, the
// per-pixel state, the model buffer (written by src/methods/peaks/gpu.ts modelBuffer), the E-step's
// sums, the axis buffer, and the parameters' private copies with their store. The E-step
// (peaks/estep), M-step (peaks/mstep) and convergence test (peaks/converge) work on these; the
// float64 reference is src/methods/peaks/em.ts, followed step by step on a centred and scaled axis
// x' = (x - centre) / scale (densities scaled to match).
//
// Needs the defines K (peaks, at most 8), NB (background components, at most 4), G (position
// groups), NW (width groups), C (channels), and the lib peaks/ctl (the control block Ctl).

// counts and lm_prev (the previous iteration's log mix per channel) hold the chunk's pixels:
// channel-major [C][npix] for em_pixel, pixel-major [npix][C] for em_workgroup. With TOUGAARD,
// lm_prev is twice as long: its second half (offset npix * C, same layout) holds each pixel's
// Tougaard density f'_T(x_n) per scaled unit (8 storage buffers are bound already, the default limit).
@group(0) @binding(0) var<storage, read> counts: array<f32>;
// Per channel AX vec4s: log f_b'(x_n) in each background component's lane, then (x'_n, 0, 0, 0).
// The linear-space E-step reads only x'_n, and with UNIFORM_X not even that.
// Sized at compile time: SwiftShader then bounds-checks against a constant, which is faster.
@group(0) @binding(1) var<storage, read> axis: array<vec4f, C * AX>;
@group(0) @binding(2) var<storage, read> model: array<f32>;
@group(0) @binding(3) var<storage, read_write> state: array<f32>;
@group(0) @binding(4) var<storage, read_write> lm_prev: array<f32>;
// The pixels (chunk indices) to iterate, and those still running afterwards (running[0] counts them).
@group(0) @binding(5) var<storage, read> live_pixels: array<u32>;
@group(0) @binding(6) var<storage, read_write> next_live: array<u32>;
@group(0) @binding(7) var<storage, read_write> running: array<atomic<u32>>;
@group(0) @binding(8) var<uniform> ctl: Ctl;

const NC: u32 = K + NB;
// Per-pixel state: positions, sigmas, weights, LL of the last E-step, M-steps done, status,
// total counts (written by the host).
const STATE: u32 = 3u * K + NB + 4u;
const S_SIG: u32 = K;
const S_W: u32 = 2u * K;
const S_LL: u32 = 3u * K + NB;
const S_IT: u32 = S_LL + 1u;
const S_STATUS: u32 = S_LL + 2u;
const S_TOTAL: u32 = S_LL + 3u;
const ST_RUNNING: f32 = 0.0;
const ST_CONVERGED: f32 = 1.0;
const ST_MAXITER: f32 = 2.0;
// Model buffer layout (src/methods/peaks/gpu.ts modelBuffer).
const M_LO: u32 = 0u;
const M_HI: u32 = 1u;
const M_SLO: u32 = 2u;
const M_SHI: u32 = 3u;
const M_TOL: u32 = 4u;
const M_LOGSCALE: u32 = 5u;
const M_MAXIT: u32 = 6u;
const M_FLOOR: u32 = 7u;
const M_OFF: u32 = 8u;
const M_RFRAC: u32 = 8u + K;
const M_GROUP: u32 = 8u + 2u * K;
const M_WGROUP: u32 = 8u + 3u * K;
const M_FIXED: u32 = 8u + 4u * K;
const M_BLO: u32 = M_FIXED + G;
const M_BHI: u32 = M_FIXED + 2u * G;
// The uniform axis x'_n = M_X0 + n M_XH (used with UNIFORM_X), then per background component its
// density on the scaled axis, alpha + beta x' (linear for every component).
const M_X0: u32 = M_FIXED + 3u * G;
const M_XH: u32 = M_X0 + 1u;
const M_BGA: u32 = M_X0 + 2u;
const M_BGB: u32 = M_BGA + NB;
// The E-step's sums: N_k, A_k = sum w (x - c_k), B_k = sum w (x - c_k)^2 per peak; N_b per
// background; LL = sum y log mix; dLL = sum y (log mix - previous log mix), channel by channel,
// which float32 resolves far below the rounding of LL itself; and sum (y (|log mix| + 1))^2, the scale
// of the float32 rounding of the log mix terms (|log mix| + 1 ulps), for the convergence floor
// (model.ts llFloor; em.ts computes the same in float64).
const LANES: u32 = 3u * K + NB + 3u;
const L_A: u32 = K;
const L_B: u32 = 2u * K;
const L_NB: u32 = 3u * K;
const L_LL: u32 = 3u * K + NB;
const L_DLL: u32 = L_LL + 1u;
const L_SQ: u32 = L_LL + 2u;
const TINY: f32 = 1e-30;
const MIN_VAR_FACTOR: f32 = 1e-6;
const LOG_SQRT_2PI: f32 = 0.91893853;

// `axis` keeps the layout of CV = ceil((K + NB) / 4) vec4s of log background densities per channel
// (the host's, for tougaard.wgsl too), then (x', w', 0, 0); the E-step reads only x'.
const CV: u32 = (NC + 3u) / 4u;
// vec4s per channel in `axis`: CV of lb, then (x', w', 0, 0).
const AX: u32 = CV + 1u;

// The parameters and their window terms (the M-step's view), and the pixel's iteration state.
var<private> p_pos: array<f32, K>;
var<private> p_sig: array<f32, K>;
var<private> p_wt: array<f32, NC>;
var<private> p_dm: array<f32, K>;
var<private> p_dv: array<f32, K>;
var<private> p_llprev: f32;
var<private> p_iter: f32;

// The reduced sums of one E-step, flat (the M-step's input; lanes as L_* above).
var<private> sums: array<f32, LANES>;

// Store the parameters, the log-likelihood of the last E-step, the M-steps done and the status.
fn store_state(base: u32, ll: f32, status: f32) {
  for (var k = 0u; k < K; k++) {
    state[base + k] = p_pos[k];
    state[base + S_SIG + k] = p_sig[k];
  }
  for (var j = 0u; j < NC; j++) {
    state[base + S_W + j] = p_wt[j];
  }
  state[base + S_LL] = ll;
  state[base + S_IT] = p_iter;
  state[base + S_STATUS] = status;
}
