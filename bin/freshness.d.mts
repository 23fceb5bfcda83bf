export function cliBundleState(root: string): { fresh: boolean; reason: string };
