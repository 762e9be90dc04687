#!/usr/bin/env node
/**
 * Idle clients: N clients open their sockets on one pad of a RUNNING server at once and sync;
 * nobody types and nobody publishes awareness. Prints the time until every client holds sync
 * step 2 and the server's memory growth per connected client (medians over --runs).
 *
 *   node bench/idle_clients.mjs [--url http://127.0.0.1:8000] [--server skrid] [--clients 1000]
 *                               [--pid SERVER_PID] [--settle 2] [--runs 1] [--json]
 *
 *   --settle S   seconds to wait after the last sync before reading the server's RSS, so that
 *                work the server defers (awareness batches, buffers) is counted
 * Exit status: 0 when every run synced, 2 on a failure.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Client } from './client.mjs'
import { serverRss, sleep, waitFor, watchLoopLag } from './measure.mjs'
import { repeat } from './repeat.mjs'
import { serverNamed } from './transport.mjs'

const KIB_PER_MIB = 1024

function readOptions () {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8000' },
      server: { type: 'string', default: 'skrid' },
      clients: { type: 'string', default: '1000' },
      settle: { type: 'string', default: '2' },
      runs: { type: 'string', default: '1' },
      'connect-timeout': { type: 'string', default: '60' },
      pid: { type: 'string' },
      json: { type: 'boolean', default: false }
    }
  })
  for (const name of ['clients', 'settle', 'runs', 'connect-timeout']) {
    values[name] = Number(values[name])
    if (!(values[name] > 0)) throw new Error(`--${name} takes a positive number`)
  }
  serverNamed(values.server)
  return values
}

async function runOnce (options) {
  const server = serverNamed(options.server)
  const { pad, key } = await server.newPad(options.url, 'Idle clients benchmark')
  let failure = null
  const run = {
    options: { awareness: false },
    transports: [server.transport(options.url, pad, key)],
    ledger: null,
    closing: false,
    fail: (why) => { failure ??= why }
  }
  const clients = Array.from({ length: options.clients }, (_, i) => new Client(run, i, true))
  const rssBefore = serverRss(options.pid)
  const stopLag = watchLoopLag()
  try {
    const start = performance.now()
    for (const client of clients) client.connect()
    const allSynced = () => failure !== null || clients.every((c) => c.synced)
    if (!await waitFor(allSynced, options['connect-timeout']) || failure) {
      throw new Error(failure ?? 'clients did not sync in time')
    }
    const connectSeconds = (performance.now() - start) / 1000
    const lag = stopLag()
    await sleep(options.settle * 1000)
    if (failure) throw new Error(failure)
    const rssAfter = serverRss(options.pid)
    return {
      clients: options.clients,
      connect_s: connectSeconds,
      server_rss_before_mib: rssBefore,
      server_rss_after_mib: rssAfter,
      rss_per_client_kib: rssBefore === null
        ? null
        : ((rssAfter - rssBefore) * KIB_PER_MIB) / options.clients,
      loop_lag_p99_ms: lag.p99,
      loop_lag_max_ms: lag.max
    }
  } finally {
    run.closing = true
    for (const client of clients) client.close()
  }
}

function table (options, m) {
  const rss = m.server_rss_before_mib === null
    ? 'n/a (give --pid)'
    : `${m.server_rss_before_mib.toFixed(1)} -> ${m.server_rss_after_mib.toFixed(1)} MiB, ` +
      `${m.rss_per_client_kib.toFixed(1)} KiB per client`
  return [
    `${options.server}: ${options.clients} idle clients on one pad` +
      (options.runs > 1 ? `: median of ${options.runs} runs` : ''),
    `  connect+sync         ${m.connect_s.toFixed(3)} s`,
    `  server RSS           ${rss}`,
    `  generator loop lag   p99 ${m.loop_lag_p99_ms.toFixed(1)} ms ` +
      `(max ${m.loop_lag_max_ms.toFixed(1)})`
  ].join('\n')
}

repeat({ readOptions, runOnce, table })
