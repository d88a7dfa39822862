// webgpu-utils 2.x reads Float16Array when it loads, which Node 20 lacks; specmap imports its 1.x
// build (the same package), whose types sit beside it under another file name.
declare module 'webgpu-utils/dist/1.x/webgpu-utils.module.js' {
  export * from 'webgpu-utils/dist/1.x/webgpu-utils';
}
