import type { Command } from 'commander';

/** A CLI command module registers its command(s) on the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * The command modules, each loaded only when one of its commands runs (or its help is asked for):
 * a module pulls in the engine parts it needs (sharp, onnxruntime-node, BullMQ...), and `camtrack
 * --help` or a light command should not pay for the others. `commands` holds each top-level
 * command's one-line summary for the root help. Add new modules to this list.
 */
export interface CommandModule {
  commands: Record<string, string>;
  load(): Promise<RegisterCommand>;
}

export const commandModules: CommandModule[] = [
  {
    commands: { bench: 'run the benchmarks (all, or those named) and print each figure with its baseline' },
    load: async () => (await import('./bench')).registerBench,
  },
  {
    commands: { serve: 'serve the studio to a browser on 127.0.0.1 (headless servers, end-to-end tests)' },
    load: async () => (await import('./serve')).registerServe,
  },
  {
    commands: { sigmas: 'the Karras sigma schedule for N steps: JSON to stdout, or a .npy file' },
    load: async () => (await import('./sigmas')).registerSigmas,
  },
  {
    commands: { lambda: 'the default lambda table for a sigma schedule and a frame count' },
    load: async () => (await import('./lambda')).registerLambda,
  },
  {
    commands: { project: 'create, inspect and check NAME.camtrack project folders' },
    load: async () => (await import('./project')).registerProject,
  },
  {
    commands: { warp: 'warp a photo with its depth into every camera of a camera path' },
    load: async () => (await import('./warp')).registerWarp,
  },
  {
    commands: { verify: 'prove this build reproduces the NVS-Solver reference, from golden outputs of its code' },
    load: async () => (await import('./verify')).registerVerify,
  },
  {
    commands: { doctor: 'report ffmpeg, execution providers, NVIDIA GPU, models found, and versions' },
    load: async () => (await import('./doctor')).registerDoctor,
  },
  {
    commands: { models: 'download and check model folders' },
    load: async () => (await import('./models')).registerModels,
  },
  {
    commands: { track: 'camera tracks: presets and nerfstudio camera_path.json files' },
    load: async () => (await import('./track')).registerTrack,
  },
  {
    commands: { render: 'render a project (NAME.camtrack) to a video, or re-render a sidecar (OUT.mp4.json)' },
    load: async () => (await import('./render')).registerRender,
  },
  {
    commands: { export: 'export a finished render to another format or frame rate, without rendering again' },
    load: async () => (await import('./export')).registerExport,
  },
  {
    commands: { depth: 'estimate depth from a photo (Depth Anything V2, ONNX) and manage the depth models' },
    load: async () => (await import('./depth')).registerDepth,
  },
  {
    commands: {
      worker: 'take render jobs from the farm queue and render them into the farm root',
      farm: 'the render farm: submit renders to the queue, see workers and jobs',
    },
    load: async () => (await import('./farm')).registerFarm,
  },
];

/** Every module loaded and registered (tests, tools that need every command's full definition). */
export async function registerAllCommands(program: Command): Promise<void> {
  for (const m of commandModules) (await m.load())(program);
}
