// The preview pane: Markdown rendered with raw HTML disabled, so nothing a participant types can
// become markup, script or style. markdown-it escapes HTML when `html` is false and refuses
// javascript:, vbscript:, file: and non-image data: URLs in links.
import MarkdownIt from 'markdown-it'

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true })

const defaultLinkOpen = md.renderer.rules.link_open ??
  ((tokens, idx, options, env, self) => self.renderToken(tokens, idx, options))

// Links open in a new tab and never tell the target where they came from.
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('target', '_blank')
  tokens[idx].attrSet('rel', 'noopener noreferrer')
  return defaultLinkOpen(tokens, idx, options, env, self)
}

/** HTML for `markdown`, safe to assign to innerHTML. */
export const renderMarkdown = (markdown) => md.render(markdown)
