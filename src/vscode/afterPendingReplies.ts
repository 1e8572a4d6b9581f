/**
 * Resolves on a later turn of the event loop, once the timers already due (and the immediates) have run.
 *
 * VS Code's extension host sends the replies it has ready — another view's first rows — from a 0 ms timer. Work
 * that holds the thread and starts in the same turn delays them: an extension host's first network request is
 * such work, because VS Code's proxy agent then reads and parses every system CA certificate synchronously
 * (100–200 ms, more on a loaded machine). A view whose first request starts after this delays no other view.
 */
export async function afterPendingReplies(): Promise<void> {
  // A 0 ms timer set before this one runs first. One set just after it in the same turn may fall on the next
  // millisecond and so not be due yet when the first fires; a second timer, set once the first has run, joins the
  // same list behind it and is due no earlier, so by the time it fires every timer set before it has run.
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
