#!/usr/bin/env node
/**
 * The npm Yjs client putting values into a pad's *structure*, for tests/guarantees/
 * test_purge_structure.py: not only the text, but map keys, root type names, XML tags and
 * attributes, sub-document guids.
 *
 *   node structure.mjs write --url ws://HOST/ws --pad ID --key KEY --places FILE [--timeout S]
 *       FILE is JSON {place: value}; each known place gets its value (see PLACES below). Done
 *       when a second client (a fresh observer) sees the same content as the writer.
 *   node structure.mjs read --url ws://HOST/ws --pad ID --key KEY [--settle MS] [--timeout S]
 *       a fresh client syncs; prints its whole state (Y.encodeStateAsUpdate, base64) and a JSON
 *       description of every root type (map keys, list items, XML tags, sub-document guids).
 *   node structure.mjs deep --depth N --bottom VALUE --text VALUE
 *       prints (base64) ONE v1 update: Y.Maps nested N deep under the root map "deep" (key "n"),
 *       VALUE at the bottom under key "mail", and --text appended to the Y.Text "content".
 *   node structure.mjs v2 --text VALUE
 *       prints (base64) Y.encodeStateAsUpdateV2 of a document whose "content" holds VALUE.
 *
 * Output: ONE JSON line on stdout. Exit status 0 done, 1 timeout, 2 the server closed the socket
 * for good ({"error": "closed", "code", "reason"}), 64 usage.
 */
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
let finished = false

function finish (status, result) {
  if (finished) return
  finished = true
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(status))
}

function parseFlags (argv) {
  const values = { timeout: '20', settle: '300' }
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`unexpected argument ${argv[i]}`)
    }
    values[argv[i].slice(2)] = argv[i + 1]
  }
  return values
}

function connect (options) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(options.url, options.pad, doc, {
    params: { k: options.key },
    WebSocketPolyfill: WebSocket,
    disableBc: true
  })
  provider.on('closed', ({ code, reason }) => finish(2, { error: 'closed', code, reason }))
  const synced = new Promise((resolve) => provider.once('synced', resolve))
  return { doc, provider, synced }
}

/** Types nested deeper than this are described flat (JSON.stringify recurses). */
const MAX_DEPTH = 64

/** JSON-able values of one item's content; nested types are described recursively. */
function contentValues (content, depth) {
  if (content instanceof Y.ContentString) return [content.str]
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return content.arr
  if (content instanceof Y.ContentEmbed) return [{ embed: content.embed }]
  if (content instanceof Y.ContentFormat) return [{ format: content.key, value: content.value }]
  if (content instanceof Y.ContentDoc) return [{ guid: content.doc.guid, opts: content.opts }]
  if (content instanceof Y.ContentType) return [describe(content.type, depth + 1)]
  if (content instanceof Y.ContentBinary) return [{ binary: Buffer.from(content.content).toString() }]
  return []
}

/** The visible items of a type: [key or null, item] for its map entries and list items. */
function * visibleItems (type) {
  for (const [key, item] of type._map) if (!item.deleted) yield [key, item]
  for (let item = type._start; item !== null; item = item.right) {
    if (!item.deleted) yield [null, item]
  }
}

/** Every tag, key and value below a type, in one flat list, without recursion. */
function flatten (root) {
  const out = []
  const stack = [root]
  while (stack.length) {
    const type = stack.pop()
    if (type instanceof Y.XmlElement) out.push({ tag: type.nodeName })
    if (type instanceof Y.XmlHook) out.push({ hook: type.hookName })
    for (const [key, item] of visibleItems(type)) {
      if (key !== null) out.push({ key })
      if (item.content instanceof Y.ContentType) stack.push(item.content.type)
      else out.push(...contentValues(item.content, 0))
    }
  }
  return out
}

/** What a type shows (deleted items left out): its tag, its map entries, its list items. */
function describe (type, depth = 0) {
  if (depth > MAX_DEPTH) return { flat: flatten(type) }
  const out = {}
  if (type instanceof Y.XmlElement) out.tag = type.nodeName
  if (type instanceof Y.XmlHook) out.hook = type.hookName
  const map = {}
  const list = []
  for (const [key, item] of visibleItems(type)) {
    if (key === null) list.push(...contentValues(item.content, depth))
    else map[key] = contentValues(item.content, depth)
  }
  if (Object.keys(map).length) out.map = map
  if (list.length) out.list = list
  return out
}

function describeDoc (doc) {
  const roots = {}
  for (const [name, type] of doc.share) roots[name] = describe(type)
  return roots
}

/** Every place a value can hide in a document's structure, written by the npm client. */
const PLACES = {
  text: (doc, value) => doc.getText('content').insert(0, `Contact : ${value}\n`),
  map_key: (doc, value) => doc.getMap('meta').set(value, 'oui'),
  deleted_map_key: (doc, value) => {
    doc.getMap('meta').set(value, 'provisoire')
    return () => doc.getMap('meta').delete(value) // a later transaction, once this one is sent
  },
  nested_map_value: (doc, value) => {
    const nested = new Y.Map()
    doc.getMap('meta').set('nested', nested)
    nested.set('mail', value)
  },
  root_text_name: (doc, value) => doc.getText(value).insert(0, 'du contenu'),
  root_map_name: (doc, value) => doc.getMap(value).set('k', 'v'),
  xml_tag: (doc, value) => {
    const element = new Y.XmlElement(value)
    doc.getXmlFragment('xml').insert(0, [element])
    element.insert(0, [new Y.XmlText('texte')])
  },
  xml_attribute_name: (doc, value) => {
    const element = new Y.XmlElement('p')
    doc.getXmlFragment('xml').push([element])
    element.setAttribute(value, '1')
  },
  xml_attribute_value: (doc, value) => {
    const element = new Y.XmlElement('a')
    doc.getXmlFragment('xml').push([element])
    element.setAttribute('data-contact', value)
  },
  xml_text: (doc, value) => {
    const element = new Y.XmlElement('span')
    doc.getXmlFragment('xml').push([element])
    element.insert(0, [new Y.XmlText(`écrire à ${value}`)])
  },
  subdoc_guid: (doc, value) => doc.getMap('meta').set('sub', new Y.Doc({ guid: value })),
  nested_map_key: (doc, value) => {
    const nested = new Y.Map()
    doc.getMap('meta').set('nested_keys', nested)
    nested.set(value, 'oui')
  },
  deleted_xml_attribute_name: (doc, value) => {
    const element = new Y.XmlElement('div')
    doc.getXmlFragment('xml').push([element])
    element.setAttribute(value, '1')
    return () => element.removeAttribute(value)
  },
  text_format_name: (doc, value) => {
    const text = doc.getText('content')
    text.insert(text.length, 'en gras\n', { [value]: true })
  },
  text_embed: (doc, value) => {
    const text = doc.getText('content')
    text.insertEmbed(text.length, { mail: value })
  },
  any_object_key: (doc, value) => doc.getMap('meta').set('objet', { [value]: 1 }),
  binary_map_value: (doc, value) =>
    doc.getMap('meta').set('octets', new TextEncoder().encode(value)),
  binary_array_item: (doc, value) => doc.getArray('list').push([new TextEncoder().encode(value)]),
  array_item: (doc, value) => doc.getArray('list').push([value, { mail: value }]),
  text_format_value: (doc, value) => {
    const text = doc.getText('content')
    text.insert(text.length, 'mon lien\n', { link: `mailto:${value}` })
  }
}

async function waitFor (condition) {
  while (!condition()) await sleep(25)
}

async function write (options) {
  const places = JSON.parse(readFileSync(options.places, 'utf8'))
  const unknown = Object.keys(places).filter((name) => !(name in PLACES))
  if (unknown.length) throw new Error(`unknown places ${unknown.join(', ')}`)
  const writer = connect(options)
  await writer.synced
  const later = []
  for (const [name, value] of Object.entries(places)) {
    writer.doc.transact(() => {
      const then = PLACES[name](writer.doc, value)
      if (typeof then === 'function') later.push(then)
    })
  }
  await sleep(100)
  for (const then of later) writer.doc.transact(then)
  const observer = connect(options)
  await observer.synced
  const expected = JSON.stringify(describeDoc(writer.doc))
  const writerState = Y.decodeStateVector(Y.encodeStateVector(writer.doc))
  await waitFor(() => {
    const seen = Y.decodeStateVector(Y.encodeStateVector(observer.doc))
    const covered = [...writerState].every(([client, clock]) => (seen.get(client) ?? 0) >= clock)
    return covered && JSON.stringify(describeDoc(observer.doc)) === expected
  })
  writer.provider.destroy()
  observer.provider.destroy()
  finish(0, { written: Object.keys(places) })
}

async function read (options) {
  const reader = connect(options)
  await reader.synced
  let last = null
  let since = Date.now()
  for (;;) {
    const state = Buffer.from(Y.encodeStateAsUpdate(reader.doc)).toString('base64')
    if (state !== last) {
      last = state
      since = Date.now()
    } else if (Date.now() - since >= Number(options.settle)) {
      break
    }
    await sleep(25)
  }
  const result = { state: last, json: describeDoc(reader.doc) }
  reader.provider.destroy()
  finish(0, result)
}

function deep (options) {
  const doc = new Y.Doc()
  doc.transact(() => {
    let map = doc.getMap('deep')
    for (let i = 0; i < Number(options.depth); i++) {
      const next = new Y.Map()
      map.set('n', next)
      map = next
    }
    map.set('mail', options.bottom)
    doc.getText('content').insert(0, `Profond : ${options.text}\n`)
  })
  finish(0, { update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64') })
}

function v2 (options) {
  const doc = new Y.Doc()
  doc.getText('content').insert(0, `Contact : ${options.text}\n`)
  finish(0, { update: Buffer.from(Y.encodeStateAsUpdateV2(doc)).toString('base64') })
}

async function main () {
  const [mode, ...rest] = process.argv.slice(2)
  const modes = { write, read, deep, v2 }
  let options
  try {
    if (!(mode in modes)) throw new Error('mode is one of write, read, deep, v2')
    options = parseFlags(rest)
  } catch (error) {
    finish(64, { error: 'usage', message: error.message })
    return
  }
  setTimeout(() => finish(1, { error: 'timeout' }), Number(options.timeout) * 1000).unref()
  await modes[mode](options)
}

main()
