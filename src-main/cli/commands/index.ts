import type { Command } from 'commander';
import { registerBench } from './bench';
import { registerServe } from './serve';
import { registerSigmas } from './sigmas';
import { registerLambda } from './lambda';
import { registerProject } from './project';

/** A CLI command registers itself on the program. Add new commands to this list. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerBench, registerServe, registerSigmas, registerLambda, registerProject];
