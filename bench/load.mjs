#!/usr/bin/env node
/**
 * Load benchmark: W writers and R readers on one pad of a RUNNING server; prints medians.
 *
 *   node bench/load.mjs [--url http://127.0.0.1:8000] [--server skrid] [--writers 5]
 *                       [--readers 20] [--rate 2] [--seconds 30] [--awareness] [--pid SERVER_PID]
 *                       [--runs 1] [--json] [--pad ID --key KEY] [--drain 10] [--connect-timeout 30]
 *
 *   --url        the server's base URL; several, separated by commas, for processes that serve
 *                one pad together (bench/several_processes.py): the clients are spread over them
 *                and --pid takes their ids, separated by commas too
 *   --server     skrid (y-websocket protocol, socket ws://HOST/ws/{pad}?k={key}) or hocuspocus
 *                (Hocuspocus protocol: document name in every frame, auth message first)
 *   --pad/--key  use this pad and key; otherwise each run makes a new pad: Skrid creates it
 *                (POST /api/pads) and every client uses its edit key (attendees hold edit links,
 *                typing or not), Hocuspocus gets a new document name and an empty token;
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
 *   loop lag       this generator's own event-loop delay (p50, p99), so that a saturated load
 *                  generator is not mistaken for a slow server
 *   result         CONVERGED when every reader's and writer's final text is the same
 *
 * Cheap clients (client.mjs): no provider, the same code path for every server, only the
 * transport (transport.mjs) differs.
 * Exit status: 0 when every run converged with no delivery missing, 1 otherwise, 2 on a failure.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import * as Y from 'yjs'
import { Client, INSERT_LENGTH } from './client.mjs'
import {
  percentile, serverCpuSeconds, serverRss, sleep, waitFor, watchLoopLag
} from './measure.mjs'
import { repeat } from './repeat.mjs'
import { serverNamed } from './transport.mjs'

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

function readOptions () {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8000' },
      server: { type: 'string', default: 'skrid' },
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
  serverNamed(values.server)
  if ((values.pad === undefined) !== (values.key === undefined)) {
    throw new Error('give --pad and --key together')
  }
  return values
}

/** One run: connect everybody, write for --seconds, drain, compare texts. */
async function runOnce (options) {
  const server = serverNamed(options.server)
  const urls = options.url.split(',')
  const { pad, key } = options.pad ? options : await server.newPad(urls[0], 'Load benchmark')
  const transports = urls.map((url) => server.transport(url, pad, key))
  let failure = null
  const fail = (why) => { failure ??= why }
  const run = { options, transports, ledger: null, closing: false, fail }
  const writers = Array.from({ length: options.writers }, (_, i) => new Client(run, i, false))
  const readers = Array.from({ length: options.readers }, (_, i) => new Client(run, i, true))
  const everybody = [...writers, ...readers]
  const rssBefore = serverRss(options.pid)
  try {
    const connectStart = performance.now()
    for (const client of everybody) client.connect()
    const allSynced = () => failure !== null || everybody.every((c) => c.synced)
    if (!await waitFor(allSynced, options['connect-timeout']) || failure) {
      throw new Error(failure ?? 'clients did not sync in time')
    }
    const connectSeconds = (performance.now() - connectStart) / 1000

    const insertsPerWriter = Math.ceil(options.rate * options.seconds) + 1
    run.ledger = new Ledger(options.writers, insertsPerWriter, options.readers)
    writers.forEach((writer, i) => run.ledger.writerOf.set(writer.doc.clientID, i))
    const period = 1000 / options.rate
    const stopLag = watchLoopLag()
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
    const lag = stopLag()
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
      loop_lag_p50_ms: lag.p50,
      loop_lag_p99_ms: lag.p99,
      loop_lag_max_ms: lag.max,
      converged: texts.size === 1
    }
  } finally {
    run.closing = true
    for (const client of everybody) client.close()
  }
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
    ['generator loop lag',
      `p50 ${ms(m.loop_lag_p50_ms)}, p99 ${ms(m.loop_lag_p99_ms)} ms (max ${ms(m.loop_lag_max_ms)})`],
    ['result', m.converged ? 'CONVERGED' : 'DIVERGED']
  ]
  const title = `${options.server}: ${options.writers} writers + ${options.readers} readers, ` +
    `${options.rate} updates/s each, ` +
    `${options.seconds} s, awareness ${options.awareness ? 'on' : 'off'}` +
    (options.runs > 1 ? `: median of ${options.runs} runs` : '')
  return [title, ...rows.map(([name, value]) => `  ${name.padEnd(20)} ${value}`)].join('\n')
}

repeat({
  readOptions, runOnce, table, passed: (run) => run.converged && run.missing === 0
})
