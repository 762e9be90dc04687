#!/usr/bin/env node
/**
 * Idle pads: N pads, each opened once (one client connects, syncs, disconnects) and then left,
 * on a RUNNING server. Prints the server's RSS once the pads exist, after every pad has been
 * opened, and after --unload-wait seconds in which the server may unload them; an idle pad costs
 * nothing when the last figure is back within 10 % of the first (medians over --runs).
 *
 *   node bench/idle_pads.mjs [--url http://127.0.0.1:8000] [--server skrid] [--pads 10000]
 *                            [--concurrency 50] [--unload-wait 15] [--pid SERVER_PID] [--json]
 *
 *   --concurrency C  pads created and opened at a time
 *   --unload-wait S  seconds to leave the server alone after the last pad was closed; give more
 *                    than the server's idle unload delay (Skrid: SKRID_ROOM_IDLE_SECONDS)
 * Skrid pads are created first (POST /api/pads, so raise SKRID_PAD_BURST and
 * SKRID_PADS_PER_MINUTE) and opened with their edit key; Hocuspocus documents just get new names.
 * Exit status: 0 when every pad synced, 2 on a failure.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Client } from './client.mjs'
import { serverRss, sleep, waitFor, watchLoopLag } from './measure.mjs'
import { repeat } from './repeat.mjs'
import { serverNamed } from './transport.mjs'

const UNLOADED_WITHIN = 0.1
const SYNC_TIMEOUT_S = 30

function readOptions () {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8000' },
      server: { type: 'string', default: 'skrid' },
      pads: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '50' },
      'unload-wait': { type: 'string', default: '15' },
      runs: { type: 'string', default: '1' },
      pid: { type: 'string' },
      json: { type: 'boolean', default: false }
    }
  })
  for (const name of ['pads', 'concurrency', 'unload-wait', 'runs']) {
    values[name] = Number(values[name])
    if (!(values[name] > 0)) throw new Error(`--${name} takes a positive number`)
  }
  serverNamed(values.server)
  return values
}

/** Run `task(i)` for i in [0, count), at most `concurrency` at a time. */
async function inPool (count, concurrency, task) {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}

/** One client connects to the pad, syncs, and leaves. */
async function openOnce (transport) {
  let failure = null
  const run = {
    options: { awareness: false },
    transports: [transport],
    ledger: null,
    closing: false,
    fail: (why) => { failure ??= why }
  }
  const client = new Client(run, 0, true)
  try {
    client.connect()
    if (!await waitFor(() => failure !== null || client.synced, SYNC_TIMEOUT_S) || failure) {
      throw new Error(failure ?? 'a pad did not sync in time')
    }
  } finally {
    run.closing = true
    client.close()
  }
}

async function runOnce (options) {
  const server = serverNamed(options.server)
  const pads = new Array(options.pads)
  await inPool(options.pads, options.concurrency, async (i) => {
    pads[i] = await server.newPad(options.url, `Idle pad ${i}`)
  })
  const rssStart = serverRss(options.pid)
  const stopLag = watchLoopLag()
  const start = performance.now()
  await inPool(options.pads, options.concurrency, async (i) => {
    await openOnce(server.transport(options.url, pads[i].pad, pads[i].key))
  })
  const openSeconds = (performance.now() - start) / 1000
  const lag = stopLag()
  const rssOpened = serverRss(options.pid)
  await sleep(options['unload-wait'] * 1000)
  const rssUnloaded = serverRss(options.pid)
  return {
    pads: options.pads,
    open_s: openSeconds,
    server_rss_start_mib: rssStart,
    server_rss_opened_mib: rssOpened,
    server_rss_unloaded_mib: rssUnloaded,
    rss_back_pct: rssStart === null ? null : (100 * (rssUnloaded - rssStart)) / rssStart,
    loop_lag_p99_ms: lag.p99,
    loop_lag_max_ms: lag.max
  }
}

function table (options, m) {
  const rss = m.server_rss_start_mib === null
    ? 'n/a (give --pid)'
    : `${m.server_rss_start_mib.toFixed(1)} -> ${m.server_rss_opened_mib.toFixed(1)} -> ` +
      `${m.server_rss_unloaded_mib.toFixed(1)} MiB (${m.rss_back_pct.toFixed(1)} % of the start, ` +
      `${m.rss_back_pct <= 100 * UNLOADED_WITHIN ? 'back' : 'not back'} within ` +
      `${100 * UNLOADED_WITHIN} %)`
  return [
    `${options.server}: ${options.pads} pads opened once, ${options.concurrency} at a time` +
      (options.runs > 1 ? `: median of ${options.runs} runs` : ''),
    `  open all             ${m.open_s.toFixed(1)} s`,
    `  server RSS           ${rss}`,
    `  generator loop lag   p99 ${m.loop_lag_p99_ms.toFixed(1)} ms ` +
      `(max ${m.loop_lag_max_ms.toFixed(1)})`
  ].join('\n')
}

repeat({ readOptions, runOnce, table })
