// The CodeMirror 6 editor bound to the pad's Y.Text. Undo/redo is Yjs's UndoManager (through
// y-codemirror.next), which tracks only this client's edits: undo never removes a neighbour's
// words. Editability lives in a compartment so that a closed pad turns read-only live.
import { Compartment, EditorState } from '@codemirror/state'
import {
  EditorView, drawSelection, highlightActiveLine, keymap, placeholder
} from '@codemirror/view'
import { defaultKeymap } from '@codemirror/commands'
import { LanguageSupport, syntaxHighlighting } from '@codemirror/language'
import { markdownKeymap, markdownLanguage } from '@codemirror/lang-markdown'
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next'
import * as Y from 'yjs'
import { markdownHighlight } from './highlight.js'

const editable = (writable) => [EditorView.editable.of(writable), EditorState.readOnly.of(!writable)]

/**
 * Mount an editor for `ytext` in `parent`. CodeMirror injects its themes as <style> elements,
 * which the page's Content-Security-Policy admits only with the page's `nonce`. Returns the view, the undo manager, and
 * `setWritable(bool)` and `setLabels({ label, placeholder })` to change it live.
 */
export const createEditor = ({ parent, ytext, awareness, writable, label, hint, nonce }) => {
  const undoManager = new Y.UndoManager(ytext)
  const editability = new Compartment()
  const labels = new Compartment()
  const labelling = (text, placeholderText) => [
    EditorView.contentAttributes.of({ 'aria-label': text, 'aria-multiline': 'true' }),
    placeholder(placeholderText)
  ]
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: ytext.toString(),
      extensions: [
        EditorView.cspNonce.of(nonce),
        keymap.of([...yUndoManagerKeymap, ...markdownKeymap, ...defaultKeymap]),
        drawSelection(),
        highlightActiveLine(),
        EditorView.lineWrapping,
        // GFM Markdown without lang-markdown's embedded HTML/CSS/JS grammars (~70 KB gzipped).
        new LanguageSupport(markdownLanguage),
        syntaxHighlighting(markdownHighlight),
        yCollab(ytext, awareness, { undoManager }),
        editability.of(editable(writable)),
        labels.of(labelling(label, hint))
      ]
    })
  })
  return {
    view,
    undoManager,
    setWritable: (value) => view.dispatch({ effects: editability.reconfigure(editable(value)) }),
    setLabels: (text, placeholderText) =>
      view.dispatch({ effects: labels.reconfigure(labelling(text, placeholderText)) })
  }
}
