import type { Handlers } from '../context';
import { projectDir, projectFile } from './project';

/** The render queue calls: each checks its project folder and hands over to the host's runner (services/renderQueue.ts). */
export const renderHandlers: Handlers = {
  async 'render.enqueue'(input, ctx) {
    return ctx.renders.enqueue(projectDir(ctx, input.project), {
      project: input.doc,
      overrides: input.overrides,
      label: input.label,
    });
  },

  async 'render.cancel'(input, ctx) {
    return ctx.renders.cancel(projectDir(ctx, input.project), input.jobId);
  },

  async 'render.restart'(input, ctx) {
    return ctx.renders.restart(projectDir(ctx, input.project), input.jobId);
  },

  async 'render.remove'(input, ctx) {
    await ctx.renders.remove(projectDir(ctx, input.project), input.jobId);
    return { removed: true };
  },

  async 'render.reorder'(input, ctx) {
    return ctx.renders.reorder(projectDir(ctx, input.project), input.jobId, input.toIndex);
  },

  async 'render.queue'(input, ctx) {
    return ctx.renders.list(projectDir(ctx, input.project));
  },

  async 'render.export'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    return ctx.renders.exportJob(dir, input.jobId, { format: input.format, fps: input.fps }, (file) =>
      projectFile(ctx, dir, file),
    );
  },

  async 'render.exportCancel'(input, ctx) {
    return { cancelled: ctx.renders.cancelExport(projectDir(ctx, input.project), input.jobId) };
  },

  async 'render.notices'(input, ctx) {
    return { notices: await ctx.renders.notices(projectDir(ctx, input.project), input.dismiss ?? false) };
  },
};
