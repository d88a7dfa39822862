// Native libraries print to the process's stderr from C++ (Dawn's adapter-discovery warnings, the
// Vulkan loader, libwayland via the drivers), which Node cannot redirect in-process. So the CLI
// (bin/specmap.js) and the test command run their work in a child whose stderr passes through
// this filter: lines known to be native noise are dropped, everything else passes unchanged and
// at once (progress bars too). `--verbose` runs without the filter.
import { spawn } from 'node:child_process';

/** Lines that are the native libraries' business, not the user's. */
const NOISE: RegExp[] = [
  /^Warning: max\w+ artificially reduced from \d+ to \d+/, // Dawn clamping lavapipe's limits
  /^Warning: .*\bVulkan\b.*\brequired\b/, // Dawn refusing an old driver (e.g. Mesa 22's lavapipe)
  /^error: XDG_RUNTIME_DIR is invalid or not set/, // libwayland-client, loaded by Vulkan drivers
  /^(ERROR|WARNING|INFO): +\[Loader Message\]/, // the Vulkan loader
];
/** How noise lines start: a partial line that could still become one is held back. */
const NOISE_STARTS = ['Warning: ', 'error: XDG_RUNTIME_DIR', 'ERROR: ', 'WARNING: ', 'INFO: '];

export function isNativeNoise(line: string): boolean {
  return NOISE.some((re) => re.test(line));
}

/** Line-wise filter over a stream of text: push() returns what may be written now. */
export class NoiseFilter {
  private held = '';
  /** True while the current line has been let through in part (the rest follows unfiltered). */
  private passing = false;

  push(chunk: string): string {
    let out = '';
    let text = this.held + chunk;
    this.held = '';
    for (;;) {
      const nl = text.indexOf('\n');
      if (nl < 0) break;
      const line = text.slice(0, nl + 1);
      text = text.slice(nl + 1);
      if (this.passing || !isNativeNoise(line)) out += line;
      this.passing = false;
    }
    if (text.length === 0) return out;
    const couldBeNoise = !this.passing && NOISE_STARTS.some((p) => p.startsWith(text) || text.startsWith(p));
    if (couldBeNoise) this.held = text;
    else {
      out += text;
      this.passing = true;
    }
    return out;
  }

  /** The rest at the end of the stream. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest && !isNativeNoise(rest) ? rest : '';
  }
}

/**
 * Run `command args` with stdin/stdout inherited and stderr filtered; resolves to its exit code
 * (128 + signal number when killed). The child learns through SPECMAP_STDERR_TTY whether the
 * filtered stderr ends on a terminal (progress bars draw in place there). SIGINT reaches the child
 * from the terminal directly; this process waits for it to finish.
 */
export function runFiltered(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['inherit', 'inherit', 'pipe'],
      env: { ...env, SPECMAP_STDERR_FILTERED: '1', SPECMAP_STDERR_TTY: process.stderr.isTTY ? '1' : '0' },
    });
    const filter = new NoiseFilter();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const out = filter.push(chunk);
      if (out) process.stderr.write(out);
    });
    const ignore = () => undefined;
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    child.on('error', (e) => {
      process.stderr.write(`specmap: cannot start ${command}: ${e.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      const rest = filter.flush();
      if (rest) process.stderr.write(rest);
      const signo = signal ? (({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1) : 0;
      resolve(code ?? 128 + signo);
    });
  });
}
