import type { Command } from 'commander';
import { registerBench } from './bench';
import { registerServe } from './serve';
import { registerSigmas } from './sigmas';
import { registerLambda } from './lambda';
import { registerWarp } from './warp';
import { registerProject } from './project';
import { registerDoctor } from './doctor';
import { registerModels } from './models';
import { registerTrack } from './track';
import { registerRender } from './render';
import { registerDepth } from './depth';
import { registerFarm } from './farm';

/** A CLI command registers itself on the program. Add new commands to this list. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerBench, registerServe, registerSigmas, registerLambda, registerProject, registerWarp, registerDoctor, registerModels, registerTrack, registerRender, registerDepth, registerFarm];
