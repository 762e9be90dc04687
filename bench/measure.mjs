/**
 * Readings shared by the benchmarks: a server's memory and CPU from /proc, percentiles, medians,
 * and polling for a condition. All figures are plain numbers (MiB, seconds, ms).
 */
import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

const POLL_MS = 5
const USER_HZ = 100
const LAG_RESOLUTION_MS = 10

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** `pid` as a list: one process id, or several separated by commas (several servers). */
const pidsOf = (pid) => String(pid).split(',')
const sum = (values) => values.reduce((total, value) => total + value, 0)

/** The server's resident memory in MiB (the servers' together), or null without a pid. */
export function serverRss (pid) {
  if (pid === undefined) return null
  return sum(pidsOf(pid).map((one) => {
    const status = readFileSync(`/proc/${one}/status`, 'utf8')
    const line = status.split('\n').find((l) => l.startsWith('VmRSS:'))
    return Number(line.split(/\s+/)[1]) / 1024
  }))
}

/** The server's CPU time in seconds, user + system (the servers' together), or null. */
export function serverCpuSeconds (pid) {
  if (pid === undefined) return null
  return sum(pidsOf(pid).map((one) => {
    const fields = readFileSync(`/proc/${one}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ
  }))
}

export function percentile (sorted, p) {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** The median of the values that are not null; null when none is. */
export function median (values) {
  const present = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b)
  if (present.length === 0) return null
  const middle = present.length >> 1
  return present.length % 2 ? present[middle] : (present[middle - 1] + present[middle]) / 2
}

/** Resolve when `ready()` holds, polling every few ms; false if `seconds` pass first. */
export async function waitFor (ready, seconds) {
  const deadline = performance.now() + seconds * 1000
  while (!ready()) {
    if (performance.now() > deadline) return false
    await sleep(POLL_MS)
  }
  return true
}

/**
 * Watch this process's own event loop from now on; the returned `stop()` gives its lag p50, p99
 * and max in ms, so that a saturated generator is not mistaken for a slow server.
 */
export function watchLoopLag () {
  const histogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS })
  histogram.enable()
  return function stop () {
    histogram.disable()
    // The histogram holds whole timer intervals: the lag is what exceeds the resolution.
    return {
      p50: Math.max(0, histogram.percentile(50) / 1e6 - LAG_RESOLUTION_MS),
      p99: Math.max(0, histogram.percentile(99) / 1e6 - LAG_RESOLUTION_MS),
      max: Math.max(0, histogram.max / 1e6 - LAG_RESOLUTION_MS)
    }
  }
}
