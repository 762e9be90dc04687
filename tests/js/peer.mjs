#!/usr/bin/env node
/**
 * Real Yjs clients for the Python tests: N unmodified `y-websocket` providers (Node) on one pad.
 *
 *   node peer.mjs --url ws://127.0.0.1:PORT/ws --pad ID --key KEY MODE [OPTIONS]
 *
 * MODE (exactly one):
 *   --ops K            each client makes K random inserts and deletes at random positions of the
 *                      Y.Text `content`, interleaved with the other clients (random pauses)
 *   --type TEXT        each client types TEXT character by character at the end
 *   --read             only sync
 * OPTIONS:
 *   --clients N        number of clients in this process (1)
 *   --seed S           seed of the random edits and pauses; client i uses S + i (1)
 *   --delay MS         longest random pause between two edits or two typed characters (20)
 *   --settle MS        how long the texts must stay unchanged to count as stable (300)
 *   --timeout S        give up after S seconds (30)
 *   --load-state FILE  start every client from this Yjs update instead of an empty document:
 *                      a client that was offline reconnects with its old local state
 *   --save-state FILE  once done, write the first client's whole state there as a Yjs update
 *   --local            wait only for this process's clients to agree with each other, not for the
 *                      server's copy (for writes the server refuses, or stale state it rejects)
 *
 * The server's copy is read by one more client, an observer that never edits. Unless --local, the
 * run is done when every client is synced and all texts, the observer's included, are equal and
 * unchanged for --settle ms: so whatever the clients typed has been relayed by the server.
 *
 * Output: ONE JSON line on stdout, then exit status
 *   0  {"texts": [...one per client], "server": "observer's text", "synced": true,
 *       "lifecycle": [...JSON payloads of the server's message type 100, in order]}
 *   1  {"error": "timeout", "texts": [...], "server": "...", "synced": false}
 *   2  {"error": "closed", "code": 4401, "reason": "..."}  the server refused the socket for good
 *  64  {"error": "usage", "message": "..."}
 */
import { readFileSync, writeFileSync } from 'node:fs'
import * as decoding from 'lib0/decoding'
import * as prng from 'lib0/prng'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const MESSAGE_PAD_EVENT = 100
const POLL_MS = 25
const COLORS = ['#30bced', '#6eeb83', '#ffbc42', '#ecd444', '#ee6352', '#9ac2c9', '#8acb88']

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

let finished = false

/** Print the one JSON line (the first result only) and leave with `status`. */
function finish (status, result) {
  if (finished) return
  finished = true
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(status))
}

const FLAGS = new Set(['read', 'local'])
const DEFAULTS = { clients: '1', seed: '1', delay: '20', settle: '300', timeout: '30' }
const VALUED = new Set([
  'url', 'pad', 'key', 'ops', 'type', 'load-state', 'save-state', ...Object.keys(DEFAULTS)
])

/**
 * `--name value` pairs and bare flags. Not util.parseArgs: it refuses a value that starts with a
 * dash, and pad ids and keys are base64url, which may.
 */
function parseFlags (argv) {
  const values = { ...DEFAULTS, read: false, local: false }
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : ''
    if (FLAGS.has(name)) values[name] = true
    else if (VALUED.has(name) && i + 1 < argv.length) values[name] = argv[++i]
    else throw new Error(`unexpected argument ${argv[i]}`)
  }
  return values
}

function readOptions () {
  const values = parseFlags(process.argv.slice(2))
  const modes = [values.ops !== undefined, values.type !== undefined, values.read]
  if (!values.url || !values.pad || values.key === undefined) {
    throw new Error('--url, --pad and --key are required')
  }
  if (modes.filter(Boolean).length !== 1) {
    throw new Error('give exactly one of --ops K, --type TEXT, --read')
  }
  for (const name of ['ops', ...Object.keys(DEFAULTS)]) {
    if (values[name] === undefined) continue
    values[name] = Number(values[name])
    if (!Number.isInteger(values[name]) || values[name] < 0) {
      throw new Error(`--${name} takes a whole number`)
    }
  }
  if (values.clients < 1) throw new Error('--clients must be at least 1')
  return values
}

/** One Yjs client (index -1: the observer): its document, provider, and lifecycle news. */
function connect (options, index, initialState) {
  const doc = new Y.Doc()
  if (initialState) Y.applyUpdate(doc, initialState)
  const provider = new WebsocketProvider(options.url, options.pad, doc, {
    params: { k: options.key },
    WebSocketPolyfill: WebSocket,
    // In Node every provider of this process would otherwise sync through a BroadcastChannel,
    // bypassing the server under test.
    disableBc: true
  })
  const lifecycle = []
  provider.messageHandlers[MESSAGE_PAD_EVENT] = (_encoder, decoder) => {
    lifecycle.push(JSON.parse(decoding.readVarString(decoder)))
  }
  provider.on('closed', ({ code, reason }) => finish(2, { error: 'closed', code, reason }))
  const color = COLORS[(index + 1) % COLORS.length]
  provider.awareness.setLocalStateField('user', {
    name: index < 0 ? 'observer' : `peer ${index}`,
    color,
    colorLight: color + '33'
  })
  const synced = new Promise((resolve) => provider.once('synced', resolve))
  return { doc, text: doc.getText('content'), provider, lifecycle, synced }
}

async function editRandomly (client, gen, ops, delay) {
  for (let i = 0; i < ops; i++) {
    await sleep(prng.int32(gen, 0, delay))
    const length = client.text.length
    if (length > 0 && prng.real53(gen) < 0.4) {
      const index = prng.int32(gen, 0, length - 1)
      client.text.delete(index, Math.min(prng.int32(gen, 1, 3), length - index))
    } else {
      client.text.insert(prng.int32(gen, 0, length), prng.word(gen, 1, 5))
    }
  }
}

async function type (client, gen, chars, delay) {
  for (const char of chars) {
    await sleep(prng.int32(gen, 0, delay))
    client.text.insert(client.text.length, char)
  }
}

/** Resolve once every client is synced and the texts agree and stay unchanged for `settle` ms. */
async function settle (clients, observer, options) {
  let last = null
  let since = Date.now()
  for (;;) {
    const texts = clients.map((c) => c.text.toString())
    const snapshot = JSON.stringify([texts, observer.text.toString()])
    if (snapshot !== last) {
      last = snapshot
      since = Date.now()
    }
    const agreeing = new Set(options.local ? texts : [...texts, observer.text.toString()])
    const synced = [...clients, observer].every((c) => c.provider.synced)
    if (synced && agreeing.size === 1 && Date.now() - since >= options.settle) return
    await sleep(POLL_MS)
  }
}

function report (clients, observer, synced) {
  return {
    texts: clients.map((c) => c.text.toString()),
    server: observer.text.toString(),
    synced,
    lifecycle: clients[0].lifecycle
  }
}

async function main () {
  let options
  try {
    options = readOptions()
  } catch (error) {
    finish(64, { error: 'usage', message: error.message })
    return
  }
  const stateFile = options['load-state']
  const initialState = stateFile ? new Uint8Array(readFileSync(stateFile)) : null
  const observer = connect(options, -1, null)
  const clients = Array.from({ length: options.clients }, (_, i) =>
    connect(options, i, initialState))
  setTimeout(() => finish(1, { error: 'timeout', ...report(clients, observer, false) }),
    options.timeout * 1000).unref()

  await Promise.all([observer, ...clients].map((c) => c.synced))
  await Promise.all(clients.map((client, i) => {
    const gen = prng.create(options.seed + i)
    if (options.ops !== undefined) return editRandomly(client, gen, options.ops, options.delay)
    if (options.type !== undefined) return type(client, gen, options.type, options.delay)
    return null
  }))
  await settle(clients, observer, options)
  if (options['save-state']) {
    writeFileSync(options['save-state'], Y.encodeStateAsUpdate(clients[0].doc))
  }
  const result = report(clients, observer, true)
  for (const client of [observer, ...clients]) client.provider.destroy()
  finish(0, result)
}

main()
