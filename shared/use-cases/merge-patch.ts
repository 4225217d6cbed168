/** PATCH semantics used everywhere: an absent field stays, null clears it, anything else replaces it. */
export const mergePatch = <T extends object>(current: T, patch: object): T => {
  const next = { ...current } as Record<string, unknown>;
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next as T;
};
