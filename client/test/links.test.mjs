// The browser's links extractor against the cases shared with its Python twin (exports/links.py).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { citedLinks, normaliseUrl } from '../src/links.js'

const casesFile = new URL('../../tests/exports/links_cases.json', import.meta.url)
const cases = JSON.parse(readFileSync(casesFile, 'utf8'))

test('the shared cases file is not empty', () => {
  assert.ok(cases.length >= 10)
})

for (const [index, { text, links }] of cases.entries()) {
  test(`shared case ${index + 1}: ${JSON.stringify(text.slice(0, 50))}`, () => {
    assert.deepEqual(citedLinks(text), links)
  })
}

test('a pasted paragraph lists each link once, bare domains included, in order', () => {
  const paragraph = 'Merci ! Les ressources : clermontparticipatif.fr, puis https://www.service-public.fr/particuliers ' +
    'et [la charte](https://exemple.org/charte). Revoir clermontparticipatif.fr demain.'
  assert.deepEqual(citedLinks(paragraph).map((link) => link.url), [
    'https://clermontparticipatif.fr',
    'https://www.service-public.fr/particuliers',
    'https://exemple.org/charte'
  ])
})

test('a long line is cut to a window of the limit around the link, and one past it is not', () => {
  const words = 'mot '.repeat(60)
  const line = `${words}www.exemple.org ${words}`.trim()
  const [link] = citedLinks(line, 40)
  assert.equal([...link.context.replaceAll('…', '')].length, 40)
  assert.ok(link.context.startsWith('…') && link.context.endsWith('…'))
  assert.ok(link.context.includes('www.exemple.org'))
  const short = 'x'.repeat(10) + ' exemple.org'
  assert.equal(citedLinks(short, short.length).at(0).context, short)
  assert.equal(citedLinks(short, short.length - 1).at(0).context.endsWith('…'), false)
  assert.equal(citedLinks(short, short.length - 1).at(0).context.startsWith('…'), true)
})

test('the window counts characters, not UTF-16 units', () => {
  const line = `${'🙂'.repeat(30)} exemple.org`
  assert.equal([...citedLinks(line, 20).at(0).context.replaceAll('…', '')].length, 20)
})

test('normalisation keeps what leads to the page and drops what tracks', () => {
  assert.equal(normaliseUrl('HTTPS://anne:pw@Exemple.ORG/A/?utm_medium=x&q=1#t'), 'https://exemple.org/A/?q=1#t')
  assert.equal(normaliseUrl('https://exemple.org/?#'), 'https://exemple.org')
})
