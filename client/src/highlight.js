// How Markdown looks while typed: headings larger and bold (not underlined, as CodeMirror's
// default style has them), links in the accent colour, quotes and markup muted.
import { HighlightStyle } from '@codemirror/language'
import { tags } from '@lezer/highlight'

export const markdownHighlight = HighlightStyle.define([
  { tag: tags.heading1, fontWeight: '700', fontSize: '1.3em' },
  { tag: tags.heading2, fontWeight: '700', fontSize: '1.15em' },
  { tag: [tags.heading3, tags.heading4, tags.heading5, tags.heading6], fontWeight: '700' },
  { tag: tags.strong, fontWeight: '700' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  { tag: tags.strikethrough, textDecoration: 'line-through' },
  { tag: [tags.link, tags.url], color: '#1f5fbf' },
  { tag: tags.quote, color: '#5b6470', fontStyle: 'italic' },
  { tag: tags.monospace, color: '#9a3412' },
  { tag: [tags.processingInstruction, tags.contentSeparator, tags.labelName], color: '#8a94a3' }
])
