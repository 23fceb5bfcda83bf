import { formatIssues, isZodError } from './issues';

/**
 * Errors a person can act on. Every failure that reaches the UI or the CLI is a CamtrackError:
 * `code` is stable (tests and the UI branch on it), `message` names the problem and, where one
 * exists, the fix. Anything else that escapes is a bug and is reported as "internal".
 */
export type ErrorCode =
  | 'bad-input' // a value or file the user gave is wrong (shape, format, range)
  | 'bad-file' // a file is corrupt, truncated or of an unsupported kind
  | 'not-found' // a file or folder that should exist does not
  | 'shape-mismatch' // a table/tensor whose shape does not match what it must fit
  | 'newer-version' // written by a newer Camtrack Studio
  | 'model' // a model folder or session does not match the contract
  | 'provider' // an execution provider failed or is unavailable
  | 'out-of-memory'
  | 'disk-full'
  | 'permission'
  | 'ffmpeg'
  | 'cancelled'
  | 'internal';

export class CamtrackError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; detail?: string }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'CamtrackError';
    this.code = code;
    this.detail = options?.detail;
  }
}

/**
 * By shape as well as by class: the command line runs each command from a bundle of its own
 * (scripts/build.mjs), each with its own copy of this class, and the entry that prints the error
 * must still see its code.
 */
export function isCamtrackError(e: unknown): e is CamtrackError {
  return (
    e instanceof CamtrackError ||
    (e instanceof Error && e.name === 'CamtrackError' && typeof (e as { code?: unknown }).code === 'string')
  );
}

/** Plain, serialisable form of an error, for IPC, WebSocket and CLI output. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  detail?: string;
}

/** Turns any thrown value into an ErrorInfo; system errors get a readable message. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (isCamtrackError(e)) return { code: e.code, message: e.message, detail: e.detail };
  const err = e as NodeJS.ErrnoException | undefined;
  switch (err?.code) {
    case 'ENOSPC':
      return {
        code: 'disk-full',
        message: `The disk is full: ${err.path ?? 'a file'} could not be written. Free some space and try again.`,
      };
    case 'ENOENT':
      return { code: 'not-found', message: `No such file or folder: ${err.path ?? '(unknown path)'}` };
    case 'EACCES':
    case 'EPERM':
      return { code: 'permission', message: `Permission denied: ${err.path ?? '(unknown path)'}` };
  }
  // A schema check that threw instead of being caught where it ran: its issues, on one line, not zod's JSON dump.
  if (isZodError(e)) return { code: 'bad-input', message: `Invalid value: ${formatIssues(e.issues)}`, detail: e.stack };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `Internal error: ${message}`, detail: e instanceof Error ? e.stack : undefined };
}
