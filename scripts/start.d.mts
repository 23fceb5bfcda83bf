export function reasonOf(output: string): string;
export function electronMissingMessage(reason: string): string;
export function electronBinary(
  electronDir?: string,
): { bin: string; error?: undefined } | { error: string; bin?: undefined };
