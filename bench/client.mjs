/**
 * A cheap benchmark client: speaks the y-protocols sync and awareness messages itself (no
 * provider) through a transport (transport.mjs), so the code path is the same whatever the server
 * and hundreds of clients fit in one Node process. Readers set received updates aside and apply
 * them when the server asks for their state or at the end; they count awareness messages without
 * applying them. permessage-deflate is off.
 *
 * A client belongs to a run: `{ options: { awareness }, transports, ledger, closing, fail }`.
 * The ledger (load.mjs) times inserts and deliveries; `fail(why)` records the first failure.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const MESSAGE_QUERY_AWARENESS = 3
export const INSERT_LENGTH = 8
const COLORS = ['#30bced', '#6eeb83', '#ffbc42', '#ecd444', '#ee6352', '#9ac2c9', '#8acb88']

function randomWord (length) {
  let word = ''
  for (let i = 0; i < length; i++) word += String.fromCharCode(97 + Math.floor(Math.random() * 26))
  return word
}

export class Client {
  constructor (run, index, reader) {
    this.run = run
    this.index = index
    this.reader = reader
    /** Clients are spread over the run's servers, writers and readers alike. */
    this.transport = run.transports[index % run.transports.length]
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

  connect () {
    const transport = this.transport
    this.socket = new WebSocket(transport.url, { perMessageDeflate: false })
    this.socket.on('open', () => {
      if (transport.greeting) this.send(transport.greeting)
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
      this.socket.send(this.transport.frame(write))
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

  /** Sync and awareness messages; any other type (Hocuspocus's auth, sync status) is ignored. */
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
