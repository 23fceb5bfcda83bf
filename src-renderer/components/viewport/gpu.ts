/**
 * Whether WebGL runs on a software rasteriser (SwiftShader, llvmpipe). There multisampling
 * triples the cost of a frame (measured: 686 -> 225 ms with the photo mesh) and anisotropic
 * filtering doubles it (1366 -> 686 ms), so both are left off; on a GPU they cost next to nothing
 * and keep lines clean and the receding ground sharp.
 */
export const SOFTWARE_GL = (() => {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    const name = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : '';
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|software/i.test(name);
  } catch {
    return false;
  }
})();
