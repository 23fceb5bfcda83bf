import { readFileSync } from 'node:fs';
import type { Handlers } from '../context';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

export const appHandlers: Handlers = {
  async 'app.info'(_input, ctx) {
    const ort = await import('onnxruntime-node');
    const available = ort.listSupportedBackends().filter((b) => b.bundled).map((b) => b.name);
    return {
      version: pkg.version,
      mode: ctx.config.mode,
      platform: `${process.platform}-${process.arch}`,
      model: null,
      providers: { available, chosen: 'cpu' },
      ffmpeg: { error: 'not checked' },
      workspace: ctx.config.workspace,
    };
  },
};
