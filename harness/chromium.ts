// Node driver: bundles harness/entry.ts with esbuild, serves it on 127.0.0.1 (WebGPU needs a
// secure context), runs it in Debian's headless Chromium through puppeteer-core, and returns
// the page's results. SwiftShader serves as the adapter when the machine has no GPU.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import type { CaseResult } from './entry.js';

export interface ChromiumRun {
  adapter?: string;
  fatal?: string;
  results: CaseResult[];
  console: string[];
}

export const CHROMIUM = process.env.SPECMAP_CHROMIUM ?? '/usr/bin/chromium';

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [new URL('./entry.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    loader: { '.wgsl': 'text' },
    external: ['webgpu', 'node:*'],
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

function serve(js: string): Promise<{ server: Server; url: string }> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>specmap parity</title><script type="module" src="/entry.js"></script>';
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/entry.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    } else if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    }),
  );
}

/** Run the parity suites (all, or those named) inside headless Chromium. */
export async function runParityInChromium(opts: { suites?: string[]; timeoutMs?: number } = {}): Promise<ChromiumRun> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set SPECMAP_CHROMIUM)`);
  const js = await bundle();
  const { server, url } = await serve(js);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The parity cases run on the page's main thread: a long suite on a loaded machine must not
    // fail the polling call that waits for it (puppeteer's default protocol timeout is 180 s).
    protocolTimeout: 30 * 60_000,
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--use-webgpu-adapter=swiftshader',
      '--enable-features=Vulkan',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const consoleLines: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${(e as Error).message}`));
    const query = opts.suites?.length ? `?suite=${opts.suites.join(',')}` : '';
    await page.goto(url + query);
    await page.waitForFunction('window.__specmap && window.__specmap.done', {
      timeout: opts.timeoutMs ?? 15 * 60_000,
      polling: 250,
    });
    const state = (await page.evaluate('window.__specmap')) as Omit<ChromiumRun, 'console'>;
    return { ...state, console: consoleLines };
  } finally {
    await browser.close();
    server.close();
  }
}
