/**
 * How y-protocols messages travel to each server: the only part of a client that differs.
 *
 * A transport is `{ url, greeting, frame, unframe }`: the socket's URL, the message to send first
 * when the socket opens (or null), `frame(write)` builds one outgoing frame around the message
 * that `write(encoder)` encodes, `unframe(data)` returns a decoder positioned on the message type.
 * Both transports below cost the client one encoder per frame and one decoder per message, so a
 * generator running many clients spends the same whatever the server.
 */
import { randomUUID } from 'node:crypto'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** Hocuspocus message type and auth sub-type (@hocuspocus/common: MessageType.Auth, Token). */
const MESSAGE_AUTH = 2
const AUTH_TOKEN = 0

const socketBase = (base) => base.replace(/^http/, 'ws')

function encode (write) {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** y-websocket servers (Skrid): the socket's path names the pad, `k` carries the key; bare frames. */
export function yWebsocket (base, pad, key) {
  return {
    url: `${socketBase(base)}/ws/${encodeURIComponent(pad)}?k=${encodeURIComponent(key)}`,
    greeting: null,
    frame: encode,
    unframe: (data) => decoding.createDecoder(data)
  }
}

/**
 * Hocuspocus: one socket may carry several documents, so every frame in both directions starts
 * with the document name (a varString), and the server queues everything it receives until an
 * Auth message (type 2, sub-type Token, then the token) has passed its `onAuthenticate` hooks,
 * as `HocuspocusProvider.onOpen` sends it before its sync step 1 (4.x providers append their
 * version, which the server only records). The name's bytes are encoded
 * once; incoming names are skipped as bytes, not decoded, since each socket has one document.
 */
export function hocuspocus (base, name, token) {
  const prefix = encode((e) => encoding.writeVarString(e, name))
  return {
    url: `${socketBase(base)}/${encodeURIComponent(name)}`,
    greeting: (e) => {
      encoding.writeVarUint(e, MESSAGE_AUTH)
      encoding.writeVarUint(e, AUTH_TOKEN)
      encoding.writeVarString(e, token)
    },
    frame: (write) => encode((e) => {
      encoding.writeUint8Array(e, prefix)
      write(e)
    }),
    unframe: (data) => {
      const decoder = decoding.createDecoder(data)
      decoding.readVarUint8Array(decoder)
      return decoder
    }
  }
}

/** Skrid creates a pad over its API and hands out the edit key, as a webinar hands out links. */
async function createSkridPad (base, title) {
  const response = await fetch(`${base}/api/pads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title })
  })
  if (response.status !== 201) throw new Error(`POST /api/pads answered ${response.status}`)
  const pad = await response.json()
  return { pad: pad.id, key: pad.edit_key }
}

/** Hocuspocus without extensions makes a document of any name and accepts any token. */
async function nameHocuspocusDocument () {
  return { pad: `bench-${randomUUID()}`, key: '' }
}

/** Each server the benchmarks speak to: its transport and how a new pad comes to exist. */
export const SERVERS = {
  skrid: { transport: yWebsocket, newPad: createSkridPad },
  hocuspocus: { transport: hocuspocus, newPad: nameHocuspocusDocument }
}

export function serverNamed (name) {
  const server = SERVERS[name]
  if (server === undefined) {
    throw new Error(`--server takes one of: ${Object.keys(SERVERS).join(', ')}`)
  }
  return server
}
