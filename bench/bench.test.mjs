/**
 * The benchmark scripts against real servers, tiny loads: each transport gets every insert to
 * every reader and converges, the scripts report their figures, and compare refuses bad options.
 * Nothing here is timed. Run: cd bench && npm test (Skrid needs the project's .venv).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { startServer } from './servers.mjs'

const BENCH = dirname(fileURLToPath(import.meta.url))

/** Run a bench script; its exit status, and its stdout parsed as JSON when it is JSON. */
function script (name, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(BENCH, name), ...args])
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.stderr.on('data', (chunk) => { stderr += chunk })
    child.on('exit', (status) => {
      let report = null
      try {
        report = JSON.parse(stdout)
      } catch {
        report = null
      }
      resolve({ status, report, stderr })
    })
  })
}

async function withServer (name, env, body) {
  const server = await startServer[name](env)
  try {
    return await body(server)
  } finally {
    await server.stop()
  }
}

const target = (server, name) =>
  ['--server', name, '--url', server.url, '--pid', String(server.pid), '--json']

for (const name of ['skrid', 'hocuspocus']) {
  test(`${name}: every insert reaches every reader, awareness on, texts converge`, async () => {
    await withServer(name, {}, async (server) => {
      const { status, report } = await script('load.mjs', [...target(server, name),
        '--writers', '2', '--readers', '3', '--seconds', '2', '--awareness', '--drain', '5'])
      assert.equal(status, 0)
      const run = report.runs[0]
      assert.equal(run.converged, true)
      assert.equal(run.missing, 0)
      // 2 writers insert at 0, 0.5, 1 and 1.5 s; 3 readers receive each insert.
      assert.equal(run.deliveries_expected, 2 * 4 * 3)
      assert.equal(run.deliveries, run.deliveries_expected)
      assert.ok(run.awareness_messages_per_s > 0)
      assert.ok(run.server_rss_after_mib > 0)
    })
  })

  test(`${name}: idle pads are opened and the server's memory read three times`, async () => {
    await withServer(name, {}, async (server) => {
      const { status, report } = await script('idle_pads.mjs', [...target(server, name),
        '--pads', '20', '--concurrency', '5', '--unload-wait', '1'])
      assert.equal(status, 0)
      const run = report.runs[0]
      assert.equal(run.pads, 20)
      assert.ok(run.server_rss_start_mib > 0 && run.server_rss_unloaded_mib > 0)
    })
  })
}

test('idle clients: Skrid takes as many as SKRID_MAX_CLIENTS_PER_PAD and fails one more', async () => {
  await withServer('skrid', { SKRID_MAX_CLIENTS_PER_PAD: '4' }, async (server) => {
    const full = await script('idle_clients.mjs', [...target(server, 'skrid'),
      '--clients', '4', '--settle', '0.1'])
    assert.equal(full.status, 0)
    assert.equal(full.report.runs[0].clients, 4)
    const over = await script('idle_clients.mjs', [...target(server, 'skrid'),
      '--clients', '5', '--settle', '0.1'])
    assert.equal(over.status, 2)
    assert.match(over.stderr, /closed a socket/)
  })
})

test('compare names the scenarios when --only names an unknown one', async () => {
  const { status, stderr } = await script('compare', ['--only', 'webinar,keynote'])
  assert.equal(status, 2)
  assert.match(stderr, /unknown scenario keynote; --only takes some of: webinar, crowd/)
})

test('purge_export.py reports every figure compare reads, for a small pad', async () => {
  const python = join(dirname(BENCH), '.venv', 'bin', 'python')
  const report = await new Promise((resolve) => {
    const child = spawn(python, [join(BENCH, 'purge_export.py'), '--megabytes', '0.02',
      '--updates', '200', '--runs', '1', '--json'])
    let stdout = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.on('exit', () => resolve(JSON.parse(stdout)))
  })
  const keys = ['typing_s', 'purge_s', ...['md', 'txt', 'html', 'json', 'yjs', 'zip']
    .map((ext) => `export_${ext}_s`)]
  for (const key of keys) assert.ok(report.median[key] > 0, key)
})
