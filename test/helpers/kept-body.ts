import { MAX_KEPT_BODY } from '../../src/Ec2ImportError.js'

/**
 * Whether a DecodeError's `body` keeps `text`: the raw text, or its first `MAX_KEPT_BODY` characters and how many
 * more there were; with a URL's query string (EC2 echoes presigned URLs) possibly replaced by `?[redacted]`, which
 * stands for a `?` and what follows it up to a space, a quote or an angle bracket.
 */
export const keepsBody = (kept: string, text: string): boolean => {
  const cut = text.length <= MAX_KEPT_BODY ? text : `${text.slice(0, MAX_KEPT_BODY)}…[${text.length - MAX_KEPT_BODY} more characters]`
  if (kept === cut) return true
  if (!kept.includes('?[redacted]')) return false
  const pattern = kept
    .split('?[redacted]')
    .map((piece) => piece.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))
    .join(`\\?[^\\s"'<>]*`)
  return new RegExp(`^${pattern}$`).test(cut)
}
