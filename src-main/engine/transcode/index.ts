/** Exports of finished renders to other formats and frame rates, without rendering again. */
export { exportRender, exportPathFor, type ExportRenderOptions, type ExportRenderResult } from './exportRender';
export { writeMaster, masterPathFor, hasMaster } from './master';
export { interpolatedFrameCount, interpolationFilter, INTERPOLATED_FPS } from './interpolate';
export { ExportSidecar, readExportSidecar, EXPORT_SIDECAR_KIND, type ExportReadFrom } from './sidecar';
