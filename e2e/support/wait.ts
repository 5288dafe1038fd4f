/** Polls `check` every 250 ms until it holds (a throw counts as not yet); fails after `seconds`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  seconds = 120,
): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
