/**
 * A provisional DOM for the open tail of a streamed answer, built straight from markdown-it tokens.
 *
 * The tail is re-shown many times while it grows and is replaced by the committed (DOMPurify-sanitised) render once
 * it is final, so it need not match that render exactly, only look like it. Nothing here parses HTML: elements come
 * from a fixed list of tag names, model text only ever becomes text nodes, and no attribute that could load or run
 * anything is set (links carry no `href`, images are shown as their alt text, code is not highlighted). That makes
 * it safe without a sanitiser pass, which is what made re-showing the tail expensive.
 */
import type Token from 'markdown-it/lib/token.mjs';
import { CODE_ACTIONS, codeActionLabel } from './markdown';
import { s } from './strings';

/** Tags a markdown-it token may become; anything else becomes a neutral container (block) or nothing (inline). */
const TAGS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th',
  'td', 'hr', 'strong', 'em', 's', 'code', 'br',
]);

/** Tokens of the open tail as a fragment of `doc`. */
export function tailDom(tokens: readonly Token[], doc: Document): DocumentFragment {
  const frag = doc.createDocumentFragment();
  const stack: Node[] = [frag];
  const top = () => stack[stack.length - 1];
  for (const t of tokens) {
    if (t.type === 'inline') {
      inline(t.children ?? [], top(), doc);
    } else if (t.nesting === 1) {
      // A hidden paragraph (tight list item) adds no element: its text goes straight into the item.
      const el = t.hidden ? top() : top().appendChild(doc.createElement(TAGS.has(t.tag) ? t.tag : 'div'));
      const start = t.type === 'ordered_list_open' ? t.attrGet('start') : null;
      if (start && /^\d{1,9}$/.test(start)) (el as Element).setAttribute('start', start);
      stack.push(el);
    } else if (t.nesting === -1) {
      if (stack.length > 1) stack.pop();
    } else if (t.type === 'fence' || t.type === 'code_block') {
      top().appendChild(codeBlock(t.content, doc, t.info.trim().split(/\s+/)[0]?.slice(0, 40)).block);
    } else if (t.type === 'hr') {
      top().appendChild(doc.createElement('hr'));
    }
  }
  return frag;
}

function inline(children: readonly Token[], parent: Node, doc: Document): void {
  const stack: Node[] = [parent];
  const top = () => stack[stack.length - 1];
  for (const t of children) {
    switch (t.type) {
      case 'text':
      case 'text_special':
      case 'entity':
        top().appendChild(doc.createTextNode(t.content));
        break;
      case 'softbreak':
        top().appendChild(doc.createTextNode('\n'));
        break;
      case 'hardbreak':
        top().appendChild(doc.createElement('br'));
        break;
      case 'code_inline': {
        const c = doc.createElement('code');
        c.textContent = t.content;
        top().appendChild(c);
        break;
      }
      case 'image': {
        const span = doc.createElement('span');
        span.className = 'md-image';
        span.textContent = s('markdown.image', (t.children ?? []).map((c) => c.content).join(''));
        top().appendChild(span);
        break;
      }
      case 'link_open': {
        // Not navigable while streaming; the committed render adds the copy-on-click address.
        const a = doc.createElement('a');
        a.className = 'md-link';
        stack.push(top().appendChild(a));
        break;
      }
      default:
        if (t.nesting === 1) stack.push(TAGS.has(t.tag) ? top().appendChild(doc.createElement(t.tag)) : top());
        else if (t.nesting === -1) {
          if (stack.length > 1) stack.pop();
        } else if (t.content) top().appendChild(doc.createTextNode(t.content));
    }
  }
}

/** An unhighlighted code block with the same toolbar as a finished one, and its `<code>` element. */
export function codeBlock(code: string, doc: Document, lang = ''): { block: HTMLElement; code: HTMLElement } {
  const block = doc.createElement('div');
  block.className = 'code-block streaming';
  const bar = doc.createElement('div');
  bar.className = 'code-toolbar';
  if (lang) {
    const l = doc.createElement('span');
    l.className = 'code-lang';
    l.textContent = lang;
    bar.append(l);
  }
  for (const a of CODE_ACTIONS) {
    const b = doc.createElement('button');
    b.type = 'button';
    b.className = 'code-action';
    b.dataset.codeAction = a.action;
    b.textContent = codeActionLabel(a);
    bar.append(b);
  }
  const pre = doc.createElement('pre');
  const c = doc.createElement('code');
  c.className = 'hljs';
  if (code) c.textContent = code;
  pre.append(c);
  block.append(bar, pre);
  return { block, code: c };
}
