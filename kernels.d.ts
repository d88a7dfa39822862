// WGSL files are imported as their source text (esbuild loader 'text'; the vitest plugin in vitest.config.ts).
declare module '*.wgsl' {
  const source: string;
  export default source;
}
