#!/usr/bin/env node
/**
 * `@hocuspocus/server` with no extensions, on loopback: the reference that bench/compare sets
 * Skrid against. It keeps documents in memory only and unloads one when its last connection
 * leaves; SIGINT and SIGTERM stop it (the library's own signal handling).
 *
 *   node bench/hocuspocus-server.mjs --port 8124
 */
import { parseArgs } from 'node:util'
import { Server } from '@hocuspocus/server'

const { values } = parseArgs({ options: { port: { type: 'string', default: '8124' } } })
const server = new Server({ address: '127.0.0.1', port: Number(values.port), quiet: true })
await server.listen()
console.log(`Hocuspocus: ws://127.0.0.1:${values.port}/`)
