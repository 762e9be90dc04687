// Save an API response as a file. The API wants the key in a header, which a plain link cannot
// send, so the page fetches the file and hands the browser a blob: URL to save.

const REVOKE_DELAY_MS = 60_000

/** The file name from a Content-Disposition header, else `fallback`. */
export const fileName = (disposition, fallback) =>
  /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback

/** Start the browser's download of `blob` under `name`. */
export const saveBlob = (blob, name) => {
  const url = URL.createObjectURL(blob)
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = name
  anchor.hidden = true
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
  // Revoking at once can cut a download short in some browsers; the blob is small anyway.
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS)
}
