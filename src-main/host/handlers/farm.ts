import type { Handlers } from '../context';
import { projectDir } from './project';

/** The render farm calls: each checks its project folder and hands over to the host's farm link (services/farm.ts). */
export const farmHandlers: Handlers = {
  async 'farm.settings'(_input, ctx) {
    return ctx.farm.settingsView();
  },

  async 'farm.configure'(input, ctx) {
    return ctx.farm.configure(input.url, input.root);
  },

  async 'farm.submit'(input, ctx) {
    return ctx.farm.submit(projectDir(ctx, input.project), input);
  },

  async 'farm.jobs'(input, ctx) {
    return ctx.farm.jobs(projectDir(ctx, input.project));
  },

  async 'farm.cancel'(input, ctx) {
    return ctx.farm.cancel(projectDir(ctx, input.project), input.jobId);
  },

  async 'farm.retry'(input, ctx) {
    return ctx.farm.retry(projectDir(ctx, input.project), input.jobId);
  },

  async 'farm.download'(input, ctx) {
    return ctx.farm.download(projectDir(ctx, input.project), input.jobId);
  },
};
