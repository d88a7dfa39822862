// #import peaks/ctl
// The layouts both EM kernels (em_pixel.wgsl, em_workgroup.wgsl) share: their bindings, the
// per-pixel state, the model buffer (written by src/methods/peaks/gpu.ts modelBuffer), the E-step's
// sums, the axis buffer, and the parameters' private copies with their store. The E-step
// (peaks/estep), M-step (peaks/mstep) and convergence test (peaks/converge) work on these; the
// float64 reference is src/methods/peaks/em.ts, followed step by step on a centred and scaled axis
// x' = (x - centre) / scale (densities scaled to match).
//
// Needs the defines K (peaks, at most 8), NB (background components, at most 4), G (position
// groups), NW (width groups), C (channels), those of the host's layout table
// (src/methods/peaks/layout.ts peaksLayout: STATE and S_* for the state, ST_* its status codes,
// M_* for the model buffer, CV and AX for the axis buffer), and the lib peaks/ctl (the control
// block Ctl).

// counts and lm_prev (the previous iteration's log mix per channel) hold the chunk's pixels:
// channel-major [C][npix] for em_pixel, pixel-major [npix][C] for em_workgroup. With TOUGAARD,
// lm_prev is twice as long: its second half (offset npix * C, same layout) holds each pixel's
// Tougaard density f'_T(x_n) per scaled unit (8 storage buffers are bound already, the default limit).
@group(0) @binding(0) var<storage, read> counts: array<f32>;
// Per channel AX = CV + 1 vec4s: CV = ceil((K + NB) / 4) of log f_b'(x_n) in each background
// component's lane (the host's layout, for tougaard.wgsl too), then (x'_n, w'_n, 0, 0). The
// linear-space E-step reads only x'_n, and with UNIFORM_X not even that.
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
// The per-pixel state (STATE floats at S_*), its status codes (ST_*) and the model buffer (M_*)
// are constants from the host's layout table (src/methods/peaks/layout.ts).
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
