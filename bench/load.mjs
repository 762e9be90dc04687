#!/usr/bin/env node
/**
 * Load benchmark: W writers and R readers on one pad of a RUNNING server; prints medians.
 *
 *   node bench/load.mjs [--url http://127.0.0.1:8000] [--writers 5] [--readers 20] [--rate 2]
 *                       [--seconds 30] [--awareness] [--pid SERVER_PID] [--runs 1] [--json]
 *                       [--pad ID --key KEY] [--drain 10] [--connect-timeout 30]
 *
 *   --url        the server's base URL; the socket goes to ws(s)://HOST/ws/{pad}?k={key}
 *   --pad/--key  use this pad and key; otherwise each run creates a pad (POST /api/pads) and
 *                every client uses its edit key (attendees hold edit links, typing or not);
 *                write --pad=ID --key=KEY: ids and keys may start with a dash
 *   --writers W  clients that insert 8 characters at a random position --rate times a second
 *   --readers R  clients that only receive
 *   --awareness  every client publishes its user (name, colours) on connect, and writers a cursor
 *                each time they type, as the y-codemirror.next binding does
 *   --pid        the server's process id: its VmRSS before the clients connect and after the
 *                load, its CPU time during the load (both from /proc)
 *   --runs N     repeat the run N times (a fresh pad each); report the median of each figure
 *   --drain S    after the last edit, wait at most S seconds for outstanding deliveries
 *
 * Measured per run:
 *   connect+sync   from opening every socket at once to every client holding sync step 2
 *   fan-out        writer's edit (just before the local transaction) to each reader receiving it:
 *                  the k-th insert of a writer occupies clocks [8k, 8k+8) of its client id, so a
 *                  reader finds what it received from the ids of the structs in each update,
 *                  whatever way the server batches or re-encodes them
 *   deliveries     (insert, reader) pairs received, per second from the first insert to the
 *                  last delivery; missing = expected - received
 *   CPU            the server's and this generator's, in % of one core during the load:
 *                  a server near 100 % is saturated; a server far below it that is still slow
 *                  is waiting (on its store, for instance)
 *   loop lag       this generator's own event-loop delay (p99), so that a saturated load
 *                  generator is not mistaken for a slow server
 *   result         CONVERGED when every reader's and writer's final text is the same
 *
 * Cheap clients: no y-websocket provider. Each client speaks the y-protocols sync and awareness
 * messages itself through a transport (below), so the client code path is the same whatever the
 * server. Readers keep received updates and apply them only when the server asks for their state
 * or at the end; they count awareness messages without applying them. permessage-deflate is off.
 * Exit status: 0 when every run converged with no delivery missing, 1 otherwise, 2 on a failure.
 */
import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const MESSAGE_QUERY_AWARENESS = 3
const INSERT_LENGTH = 8
const LAG_RESOLUTION_MS = 10
const POLL_MS = 5
const USER_HZ = 100
const COLORS = ['#30bced', '#6eeb83', '#ffbc42', '#ecd444', '#ee6352', '#9ac2c9', '#8acb88']

/**
 * How y-protocols messages travel on a socket: the only part that differs between servers.
 * `url` names the socket, `frame(write)` builds one outgoing frame around the message that
 * `write(encoder)` encodes, `unframe(data)` returns a decoder positioned on the message type.
 * A Hocuspocus transport will prefix each frame with the document name and also need a hook that
 * sends its auth message when the socket opens.
 */
const yWebsocket = {
  url: (base, pad, key) => `${base}/ws/${encodeURIComponent(pad)}?k=${encodeURIComponent(key)}`,
  frame: (write) => {
    const encoder = encoding.createEncoder()
    write(encoder)
    return encoding.toUint8Array(encoder)
  },
  unframe: (data) => decoding.createDecoder(data)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function randomWord (length) {
  let word = ''
  for (let i = 0; i < length; i++) word += String.fromCharCode(97 + Math.floor(Math.random() * 26))
  return word
}

/** Who sent which insert when, and who received it: the fan-out figures of one run. */
class Ledger {
  constructor (writers, insertsPerWriter, readers) {
    this.capacity = insertsPerWriter
    this.sentAt = new Float64Array(writers * insertsPerWriter)
    this.sent = 0
    this.writerOf = new Map()
    this.seen = Array.from({ length: readers }, () => new Uint8Array(writers * insertsPerWriter))
    this.latencies = []
  }

  /** Record the time of a writer's next insert; false once its share of the ledger is full. */
  send (writer, seq) {
    if (seq >= this.capacity) return false
    this.sentAt[writer * this.capacity + seq] = performance.now()
    this.sent++
    return true
  }

  receive (reader, update) {
    const now = performance.now()
    const seen = this.seen[reader]
    for (const struct of Y.decodeUpdate(update).structs) {
      const writer = this.writerOf.get(struct.id.client)
      if (writer === undefined || struct instanceof Y.Skip) continue
      const end = struct.id.clock + struct.length
      for (let seq = Math.ceil(struct.id.clock / INSERT_LENGTH); seq * INSERT_LENGTH < end; seq++) {
        const slot = writer * this.capacity + seq
        if (seen[slot] || this.sentAt[slot] === 0) continue
        seen[slot] = 1
        this.latencies.push(now - this.sentAt[slot])
      }
    }
  }

  get expected () {
    return this.sent * this.seen.length
  }
}

/** One client speaking y-protocols over a transport. Readers apply updates lazily. */
class Client {
  constructor (run, index, reader) {
    this.run = run
    this.index = index
    this.reader = reader
    this.doc = new Y.Doc()
    this.text = this.doc.getText('content')
    this.pending = []
    this.awarenessReceived = 0
    this.inserts = 0
    this.awareness = run.options.awareness ? new awarenessProtocol.Awareness(this.doc) : null
    this.synced = false
    this.doc.on('update', (update, origin) => {
      if (origin !== this) this.sendSync((e) => syncProtocol.writeUpdate(e, update))
    })
    this.awareness?.on('update', ({ added, updated, removed }, origin) => {
      if (origin === 'local') this.sendAwareness([...added, ...updated, ...removed])
    })
  }

  connect (url) {
    const transport = this.run.transport
    this.socket = new WebSocket(url, { perMessageDeflate: false })
    this.socket.on('open', () => {
      this.sendSync((e) => syncProtocol.writeSyncStep1(e, this.doc))
      const color = COLORS[this.index % COLORS.length]
      this.awareness?.setLocalStateField('user', {
        name: `${this.reader ? 'reader' : 'writer'} ${this.index}`, color, colorLight: color + '33'
      })
    })
    this.socket.on('message', (data) => this.receive(transport.unframe(data)))
    this.socket.on('error', (error) => this.run.fail(`socket error: ${error.message}`))
    this.socket.on('close', (code) => {
      if (!this.run.closing) this.run.fail(`the server closed a socket with code ${code}`)
    })
  }

  send (write) {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(this.run.transport.frame(write))
    }
  }

  sendSync (write) {
    this.send((e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC)
      write(e)
    })
  }

  sendAwareness (clients) {
    this.send((e) => {
      encoding.writeVarUint(e, MESSAGE_AWARENESS)
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)
      encoding.writeVarUint8Array(e, update)
    })
  }

  receive (decoder) {
    const type = decoding.readVarUint(decoder)
    if (type === MESSAGE_SYNC) this.receiveSync(decoder)
    else if (type === MESSAGE_AWARENESS) this.awarenessReceived++
    else if (type === MESSAGE_QUERY_AWARENESS && this.awareness) {
      this.sendAwareness([this.doc.clientID])
    }
  }

  receiveSync (decoder) {
    const kind = decoding.readVarUint(decoder)
    if (kind === syncProtocol.messageYjsSyncStep1) {
      this.flush()
      this.sendSync((e) => syncProtocol.readSyncStep1(decoder, e, this.doc))
      return
    }
    const update = decoding.readVarUint8Array(decoder)
    if (this.reader) {
      this.run.ledger?.receive(this.index, update)
      this.pending.push(update)
    } else {
      Y.applyUpdate(this.doc, update, this)
    }
    if (kind === syncProtocol.messageYjsSyncStep2) this.synced = true
  }

  /**
   * Apply what a reader kept aside; its document is then current. One transaction for all:
   * ten times cheaper than applying Y.mergeUpdates' result.
   */
  flush () {
    const pending = this.pending
    this.pending = []
    Y.transact(this.doc, () => {
      for (const update of pending) Y.applyUpdate(this.doc, update, this)
    }, this)
  }

  /** A writer's edit: 8 characters at a random position, then its cursor after them. */
  insert () {
    if (!this.run.ledger.send(this.index, this.inserts)) return
    this.inserts++
    const position = Math.floor(Math.random() * (this.text.length + 1))
    this.text.insert(position, randomWord(INSERT_LENGTH))
    if (this.awareness) {
      const cursor = Y.relativePositionToJSON(
        Y.createRelativePositionFromTypeIndex(this.text, position + INSERT_LENGTH))
      this.awareness.setLocalStateField('cursor', { anchor: cursor, head: cursor })
    }
  }

  close () {
    this.awareness?.destroy()
    this.socket?.terminate()
  }
}

function readOptions () {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8000' },
      pad: { type: 'string' },
      key: { type: 'string' },
      writers: { type: 'string', default: '5' },
      readers: { type: 'string', default: '20' },
      rate: { type: 'string', default: '2' },
      seconds: { type: 'string', default: '30' },
      runs: { type: 'string', default: '1' },
      drain: { type: 'string', default: '10' },
      'connect-timeout': { type: 'string', default: '30' },
      pid: { type: 'string' },
      awareness: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }
    }
  })
  const numbers = ['writers', 'readers', 'rate', 'seconds', 'runs', 'drain', 'connect-timeout']
  for (const name of numbers) {
    const value = Number(values[name])
    if (!(value > 0) && !(value === 0 && name === 'readers')) {
      throw new Error(`--${name} takes a positive number`)
    }
    values[name] = value
  }
  if ((values.pad === undefined) !== (values.key === undefined)) {
    throw new Error('give --pad and --key together')
  }
  return values
}

async function createPad (base) {
  const response = await fetch(`${base}/api/pads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Load benchmark' })
  })
  if (response.status !== 201) throw new Error(`POST /api/pads answered ${response.status}`)
  const pad = await response.json()
  return { pad: pad.id, key: pad.edit_key }
}

/** The server's resident memory in MiB, or null without --pid. */
function serverRss (pid) {
  if (pid === undefined) return null
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const line = status.split('\n').find((l) => l.startsWith('VmRSS:'))
  return Number(line.split(/\s+/)[1]) / 1024
}

/** The server's CPU time in seconds (user + system), or null without --pid. */
function serverCpuSeconds (pid) {
  if (pid === undefined) return null
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ
}

function percentile (sorted, p) {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function median (values) {
  const present = values.filter((v) => v !== null).sort((a, b) => a - b)
  if (present.length === 0) return null
  const middle = present.length >> 1
  return present.length % 2 ? present[middle] : (present[middle - 1] + present[middle]) / 2
}

/** Resolve when `ready()` holds, polling every few ms; false if `seconds` pass first. */
async function waitFor (ready, seconds) {
  const deadline = performance.now() + seconds * 1000
  while (!ready()) {
    if (performance.now() > deadline) return false
    await sleep(POLL_MS)
  }
  return true
}

/** One run: connect everybody, write for --seconds, drain, compare texts. */
async function runOnce (options) {
  const { pad, key } = options.pad ? options : await createPad(options.url)
  const url = yWebsocket.url(options.url.replace(/^http/, 'ws'), pad, key)
  let failure = null
  const fail = (why) => { failure ??= why }
  const run = { options, transport: yWebsocket, ledger: null, closing: false, fail }
  const writers = Array.from({ length: options.writers }, (_, i) => new Client(run, i, false))
  const readers = Array.from({ length: options.readers }, (_, i) => new Client(run, i, true))
  const everybody = [...writers, ...readers]
  const rssBefore = serverRss(options.pid)
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS })
  try {
    const connectStart = performance.now()
    for (const client of everybody) client.connect(url)
    const allSynced = () => failure !== null || everybody.every((c) => c.synced)
    if (!await waitFor(allSynced, options['connect-timeout']) || failure) {
      throw new Error(failure ?? 'clients did not sync in time')
    }
    const connectSeconds = (performance.now() - connectStart) / 1000

    const insertsPerWriter = Math.ceil(options.rate * options.seconds) + 1
    run.ledger = new Ledger(options.writers, insertsPerWriter, options.readers)
    writers.forEach((writer, i) => run.ledger.writerOf.set(writer.doc.clientID, i))
    const period = 1000 / options.rate
    lag.enable()
    const serverCpuStart = serverCpuSeconds(options.pid)
    const cpuStart = process.cpuUsage()
    const loadStart = performance.now()
    await Promise.all(writers.map(async (writer, i) => {
      // Writers are spread evenly over one period, each on a fixed schedule that does not drift.
      for (let tick = 0; tick * period < options.seconds * 1000; tick++) {
        await sleep(loadStart + (tick + i / options.writers) * period - performance.now())
        writer.insert()
      }
    }))
    const hasAll = (w) => writers.every(
      (o) => Y.getState(w.doc.store, o.doc.clientID) === o.inserts * INSERT_LENGTH)
    const complete = () =>
      run.ledger.latencies.length === run.ledger.expected && writers.every(hasAll)
    await waitFor(complete, options.drain)
    const loadSeconds = (performance.now() - loadStart) / 1000
    const cpu = process.cpuUsage(cpuStart)
    const serverCpu = options.pid === undefined
      ? null
      : (100 * (serverCpuSeconds(options.pid) - serverCpuStart)) / loadSeconds
    const rssAfter = serverRss(options.pid)
    lag.disable()
    if (failure) throw new Error(failure)

    readers.forEach((reader) => reader.flush())
    const texts = new Set(everybody.map((c) => c.text.toString()))
    const latencies = Float64Array.from(run.ledger.latencies).sort()
    return {
      clients: everybody.length,
      connect_s: connectSeconds,
      latency_p50_ms: percentile(latencies, 50),
      latency_p95_ms: percentile(latencies, 95),
      latency_p99_ms: percentile(latencies, 99),
      latency_max_ms: percentile(latencies, 100),
      deliveries_expected: run.ledger.expected,
      deliveries: latencies.length,
      missing: run.ledger.expected - latencies.length,
      deliveries_per_s: latencies.length / loadSeconds,
      awareness_messages_per_s: readers.reduce((n, r) => n + r.awarenessReceived, 0) / loadSeconds,
      server_rss_before_mib: rssBefore,
      server_rss_after_mib: rssAfter,
      server_cpu_pct: serverCpu,
      generator_cpu_pct: (cpu.user + cpu.system) / 1e4 / loadSeconds,
      // The histogram holds whole timer intervals: the lag is what exceeds the resolution.
      loop_lag_p99_ms: Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS),
      loop_lag_max_ms: Math.max(0, lag.max / 1e6 - LAG_RESOLUTION_MS),
      converged: texts.size === 1
    }
  } finally {
    run.closing = true
    lag.disable()
    for (const client of everybody) client.close()
  }
}

function summarise (runs) {
  const summary = {}
  for (const name of Object.keys(runs[0])) {
    const values = runs.map((r) => r[name])
    summary[name] = name === 'converged' ? values.every(Boolean) : median(values)
  }
  return summary
}

function table (options, m) {
  const ms = (v) => v === null ? 'n/a' : v.toFixed(1)
  const rss = m.server_rss_before_mib === null
    ? 'n/a (give --pid)'
    : `${ms(m.server_rss_before_mib)} -> ${ms(m.server_rss_after_mib)} MiB ` +
      `(+${ms(m.server_rss_after_mib - m.server_rss_before_mib)})`
  const rows = [
    ['connect+sync', `${m.connect_s.toFixed(3)} s for ${m.clients} clients`],
    ['fan-out latency', `p50 ${ms(m.latency_p50_ms)} / p95 ${ms(m.latency_p95_ms)} / ` +
      `p99 ${ms(m.latency_p99_ms)} ms (max ${ms(m.latency_max_ms)})`],
    ['deliveries', `${m.deliveries_per_s.toFixed(0)} /s, ` +
      `${m.deliveries} of ${m.deliveries_expected}, missing ${m.missing}`],
    ['awareness received', `${m.awareness_messages_per_s.toFixed(0)} messages/s`],
    ['server RSS', rss],
    ['server CPU', m.server_cpu_pct === null ? 'n/a (give --pid)' : `${ms(m.server_cpu_pct)} %`],
    ['generator CPU', `${ms(m.generator_cpu_pct)} %`],
    ['generator loop lag', `p99 ${ms(m.loop_lag_p99_ms)} ms (max ${ms(m.loop_lag_max_ms)})`],
    ['result', m.converged ? 'CONVERGED' : 'DIVERGED']
  ]
  const title = `${options.writers} writers + ${options.readers} readers, ` +
    `${options.rate} updates/s each, ` +
    `${options.seconds} s, awareness ${options.awareness ? 'on' : 'off'}` +
    (options.runs > 1 ? `: median of ${options.runs} runs` : '')
  return [title, ...rows.map(([name, value]) => `  ${name.padEnd(20)} ${value}`)].join('\n')
}

async function main () {
  let options
  try {
    options = readOptions()
  } catch (error) {
    console.error(error.message)
    process.exit(2)
  }
  const runs = []
  for (let i = 0; i < options.runs; i++) {
    try {
      runs.push(await runOnce(options))
    } catch (error) {
      console.error(`run ${i + 1}: ${error.message}`)
      process.exit(2)
    }
    console.error(`run ${i + 1}/${options.runs}: p99 ${runs[i].latency_p99_ms?.toFixed(1)} ms`)
  }
  const summary = summarise(runs)
  const report = { settings: options, median: summary, runs }
  console.log(options.json ? JSON.stringify(report) : table(options, summary))
  process.exit(runs.every((r) => r.converged && r.missing === 0) ? 0 : 1)
}

main()
