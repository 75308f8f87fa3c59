// Waiting for work with a limit: shutdown steps wait for what is in flight, but never past the
// time the process has left before it must exit.

/** Resolves true when `work` settles within `timeoutMs`, false when the time runs out first. */
export async function settleWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs)))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
