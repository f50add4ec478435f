/**
 * How the command line writes durations: `HH:MM:SS`, the same in the progress bar, the plain lines and the workflow.
 *
 * @since 0.2.0
 */

/**
 * Milliseconds as `HH:MM:SS`.
 *
 * @internal
 */
export const clock = (ms: number): string => {
  const s = Math.floor(ms / 1000)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`
}
