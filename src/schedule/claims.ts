/** `reminder:AT-…:consent-transferee:2026-11-30`: unique per (transfer, kind, window). */
export function claimKey(transferId: string, kind: string, window: string): string {
  return `${kindPrefix(transferId, kind)}${window}`;
}

export function kindPrefix(transferId: string, kind: string): string {
  return `reminder:${transferId}:${kind}:`;
}
