// Bundle the browser code into server/static/build/ and print each output's size, raw and
// gzipped, from esbuild's metafile. Code split: the pad page loads its Markdown preview after
// the editor is ready, and the pages (home, pad, host console) share their common modules. The pad page's budget
// (everything it loads) is checked by tests/browser and measured by bench/page_load.py.
import * as esbuild from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const outdir = join(here, '..', 'server', 'static', 'build')

// Start clean: split chunks have hashed names, and stale ones would pile up.
rmSync(outdir, { recursive: true, force: true })
const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: {
    pad: 'src/pad.js',
    home: 'src/home.js',
    console: 'src/console.js',
    skrid: 'src/skrid.css'
  },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  format: 'esm',
  target: ['es2020'],
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning'
})

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.LEGAL.txt')) continue
  const gzipped = gzipSync(readFileSync(join(here, file)), { level: 9 }).length
  console.log(`${relative(join(here, '..'), join(here, file))}  ${kb(output.bytes)}  gzip ${kb(gzipped)}`)
}
