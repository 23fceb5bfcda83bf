import type { Command } from 'commander';
import { registerBench } from './bench';

/** A CLI command registers itself on the program. Add new commands to this list. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerBench];
