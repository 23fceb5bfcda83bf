import type { Handlers } from '../context';
import { appVersion } from '../../engine/util/appRoot';
import { availableProviders, providerOrder } from '../../engine/models/providers';
import { resolveFfmpeg } from '../../engine/video/resolve-ffmpeg';
import { builtinDraftModelDir, readManifest } from '../../engine/models/modelFolder';
import { toErrorInfo } from '../../engine/util/errors';

export const appHandlers: Handlers = {
  async 'app.info'(_input, ctx) {
    const providers = availableProviders();
    const order = providerOrder('auto', process.platform, providers);
    const skipped = providers.filter((p) => !p.available && p.name !== 'cpu' && p.note).map((p) => `${p.name}: ${p.note}`);
    const ffmpeg = await resolveFfmpeg().then(
      (f) => ({ path: f.path, source: f.source, version: f.version }),
      (e: unknown) => ({ error: toErrorInfo(e).message }),
    );
    return {
      version: appVersion(),
      mode: ctx.config.mode,
      platform: `${process.platform}-${process.arch}`,
      providers: {
        available: providers.filter((p) => p.available).map((p) => p.name),
        // The best provider 'auto' will try first; a failing one falls back at session creation.
        chosen: order[0],
        reason: order[0] === 'cpu' ? `No GPU execution provider is usable here${skipped.length ? ` (${skipped.join('; ')})` : ''}.` : undefined,
      },
      ffmpeg,
      workspace: ctx.config.workspace,
    };
  },

  async 'model.info'(input, ctx) {
    const dir = input.model === 'draft' ? builtinDraftModelDir() : ctx.guard.check(input.model);
    const m = await readManifest(dir);
    return {
      name: m.name,
      family: m.family,
      isDraft: m.family === 'draft',
      frameCounts: m.frameCounts,
      size: m.size,
      dtype: m.dtype,
    };
  },
};
