import { InvalidArgumentError } from 'commander';
import { inRange, rangeText, type Range } from '../engine/util/limits';

/** Small helpers shared by CLI commands: JSON to stdout, progress to stderr. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else process.stderr.write(`${text}\n`);
}

/** A warning a person should read (an implausible depth mapping...): on stderr, so stdout stays JSON. */
export function warnLine(text: string): void {
  process.stderr.write(`warning: ${text}\n`);
}

/** What a command assumed for the user (a default it picked): on stderr. */
export function noteLine(text: string): void {
  process.stderr.write(`note: ${text}\n`);
}

export function parseIntOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer (got "${value}")`);
    return n;
  };
}

/** The download flags both download commands take: plain http only when asked, redirects to other hosts said. */
export function transferFlags(o: { allowHttp?: boolean }): {
  allowHttp: boolean;
  onRedirect: (from: URL, to: URL) => void;
} {
  return {
    allowHttp: !!o.allowHttp,
    onRedirect: (from, to) => process.stderr.write(`redirected from ${from.host} to ${to.host} (${to.origin})\n`),
  };
}

/** Any finite number, refused as the flag is read (what it must be beyond that is its user's check). */
export function numberOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`--${name} must be a number (got "${value}").`);
    return n;
  };
}

/** A whole number inside one of the limits (engine/util/limits.ts), refused as the flag is read. */
export function rangeOption(name: string, range: Range) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !inRange(n, range))
      throw new InvalidArgumentError(`--${name} must be a whole number ${rangeText(range)} (got "${value}").`);
    return n;
  };
}
