/**
 * The command-line shell every benchmark script shares: read the options, do --runs runs, print
 * the median of each figure as a table or, with --json, one object `{ settings, median, runs }`
 * (what bench/compare reads). Exit status: 0 when `passed(run)` holds for every run, 1 when it
 * does not, 2 on bad options or a failed run.
 */
import { median } from './measure.mjs'

/** Median of each numeric figure; a boolean figure holds when it held in every run. */
export function summarise (runs) {
  const summary = {}
  for (const name of Object.keys(runs[0])) {
    const values = runs.map((r) => r[name])
    summary[name] = typeof values[0] === 'boolean' ? values.every(Boolean) : median(values)
  }
  return summary
}

export async function repeat ({ readOptions, runOnce, table, passed = () => true }) {
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
    console.error(`run ${i + 1}/${options.runs} done`)
  }
  const summary = summarise(runs)
  console.log(options.json
    ? JSON.stringify({ settings: options, median: summary, runs })
    : table(options, summary))
  process.exit(runs.every(passed) ? 0 : 1)
}
