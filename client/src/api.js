// The pad's JSON API as the pages use it. The key travels in a header: only links and the
// WebSocket need it in a URL. Errors keep the API's status and code, so pages can tell a bad
// key (401) from a move the pad's state refuses (409).

export class ApiError extends Error {
  constructor (status, code, message) {
    super(message || `HTTP ${status}`)
    this.status = status
    this.code = code
  }
}

/** Calls on the pad `padId` with `key`. A network failure rejects with a TypeError, no status. */
export const padApi = (padId, key) => {
  const base = `/api/pads/${encodeURIComponent(padId)}`
  const request = async (path, method = 'GET', body = undefined) => {
    const headers = { Authorization: `Bearer ${key}` }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const response = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store'
    })
    if (!response.ok) {
      const body = await response.json().catch(() => ({}))
      throw new ApiError(response.status, body.error?.code ?? '', body.error?.message ?? '')
    }
    return response
  }
  return {
    /** The pad's metadata and lifecycle state. */
    pad: async () => (await request('')).json(),
    /** A host's lifecycle move (close, reopen, purge, publish, unpublish): the new metadata. */
    act: async (action) => (await request(`/${action}`, 'POST')).json(),
    /** Delete the pad and all its data. */
    remove: () => request('', 'DELETE'),
    /** What the purge will remove, and the notes as it will leave them. */
    plan: async () => (await request('/purge-plan')).json(),
    /** Store the host's decisions for the purge (keep, remove, speakers): the new plan. */
    decide: async (decisions) => (await request('/purge-plan', 'PUT', decisions)).json(),
    /** A file the API serves (contacts, exports): the response, body unread. */
    file: (path) => request(path)
  }
}
