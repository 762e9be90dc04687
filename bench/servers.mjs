/**
 * Start and stop the servers that bench/compare sets side by side, each on loopback on a free
 * port, as one process whose id is the one to read RSS and CPU from.
 *
 * Skrid runs as shipped (`.venv/bin/skrid serve`) on a fresh SQLite file in a temporary folder,
 * with the SKRID_* variables the scenario gives; its log goes to a file in that folder, shown
 * when it fails to start. Hocuspocus runs bench/hocuspocus-server.mjs: no extensions, in memory.
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sleep } from './measure.mjs'

const BENCH = dirname(fileURLToPath(import.meta.url))
const ROOT = dirname(BENCH)
const READY_TIMEOUT_S = 30
const STOP_TIMEOUT_S = 15
const READY_POLL_MS = 100
const LOG_TAIL_CHARS = 2000

/** A port nobody listens on now (the OS picks it). */
function freePort () {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

async function untilReady (url, child, logPath) {
  const deadline = Date.now() + READY_TIMEOUT_S * 1000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // Not listening yet.
    }
    await sleep(READY_POLL_MS)
  }
  child.kill('SIGKILL')
  const log = readFileSync(logPath, 'utf8').slice(-LOG_TAIL_CHARS)
  throw new Error(`the server did not answer ${url} in time; its log ends with:\n${log}`)
}

/** Run `command`, wait until `readyPath` answers 200, and hand back how to reach and stop it. */
async function start (command, args, env, readyPath) {
  const folder = mkdtempSync(join(tmpdir(), 'skrid-compare-'))
  const port = await freePort()
  const logPath = join(folder, 'server.log')
  const log = openSync(logPath, 'w')
  const child = spawn(command, args(port, folder), {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log]
  })
  closeSync(log)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const url = `http://127.0.0.1:${port}`
  await untilReady(url + readyPath, child, logPath)
  return {
    url,
    pid: child.pid,
    async stop () {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_S * 1000)
      await exited
      clearTimeout(timer)
      rmSync(folder, { recursive: true, force: true })
    }
  }
}

export const startServer = {
  skrid: (env) => start(
    join(ROOT, '.venv', 'bin', 'skrid'),
    (port, folder) => ['serve', '--init', '--port', String(port), '--db', join(folder, 'bench.sqlite3')],
    env,
    '/healthz'),
  hocuspocus: () => start(
    process.execPath,
    (port) => [join(BENCH, 'hocuspocus-server.mjs'), '--port', String(port)],
    {},
    '/')
}
