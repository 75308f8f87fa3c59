// Polls a condition on something another process changes (calls recorded by the local Slack, rows
// written by a bot): resolves true once it holds, false when `timeoutMs` passes first.
export async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
