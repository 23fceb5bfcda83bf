import type { Handlers } from '../context';
import { appVersion } from '../../engine/util/appRoot';

export const appHandlers: Handlers = {
  async 'app.info'(_input, ctx) {
    const ort = await import('onnxruntime-node');
    const available = ort.listSupportedBackends().filter((b) => b.bundled).map((b) => b.name);
    return {
      version: appVersion(),
      mode: ctx.config.mode,
      platform: `${process.platform}-${process.arch}`,
      model: null,
      providers: { available, chosen: 'cpu' },
      ffmpeg: { error: 'not checked' },
      workspace: ctx.config.workspace,
    };
  },
};
