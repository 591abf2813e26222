/**
 * The last gate before model output becomes DOM: DOMPurify with a profile for rendered markdown.
 * Nothing that comes out can run script, load remote content (no remote images, frames, styles, fonts) or navigate:
 * links keep their target only as `data-href` (and a tooltip), never as `href`.
 */
import createDOMPurify from 'dompurify';
import type { Config, DOMPurify } from 'dompurify';

const SAFE_IMAGE = /^data:image\/(png|gif|jpe?g|webp);base64,/i;
const SHOWN_LINK = /^(https?:|mailto:)/i;

const CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: [
    'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'form', 'input', 'textarea',
    'select', 'video', 'audio', 'source', 'track', 'picture', 'svg', 'math', 'template', 'dialog',
  ],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'background', 'poster', 'ping', 'target'],
  ALLOW_DATA_ATTR: true,
};

export interface Sanitizer {
  /** Sanitised HTML as a string. */
  html(dirty: string): string;
  /** Sanitised HTML as a fragment owned by the window's document, ready to insert. */
  fragment(dirty: string): DocumentFragment;
}

export function createSanitizer(win: Window): Sanitizer {
  const purify: DOMPurify = createDOMPurify(win as unknown as Parameters<typeof createDOMPurify>[0]);
  // One hook, after the attributes: a hook on elements (`uponSanitizeElement`) would make DOMPurify copy its whole
  // allow-list on every call, a fixed cost paid for each block committed while streaming.
  purify.addHook('afterSanitizeAttributes', (node) => {
    const name = node.nodeName;
    if (name === 'A' || name === 'a') {
      const el = node as Element;
      const href = el.getAttribute('href');
      el.removeAttribute('href');
      if (href && SHOWN_LINK.test(href.trim())) {
        // Not navigable: activating the link copies its address (keyboard too).
        el.setAttribute('data-href', href.trim());
        el.setAttribute('title', `Copy link: ${href.trim()}`);
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'button');
      }
      el.setAttribute('class', 'md-link');
    } else if (name === 'IMG' || name === 'img') {
      // An image without a safe inline source is dropped entirely (it would be a remote load).
      const el = node as Element;
      if (!SAFE_IMAGE.test(el.getAttribute('src') ?? '')) el.parentNode?.removeChild(el);
    }
  });
  // The configuration is parsed once: passing it to every `sanitize` call would rebuild its sets each time.
  purify.setConfig({ ...CONFIG, RETURN_DOM_FRAGMENT: true });
  const fragment = (dirty: string) => purify.sanitize(dirty) as unknown as DocumentFragment;
  return {
    html: (dirty) => {
      const div = win.document.createElement('div');
      div.append(fragment(dirty));
      return div.innerHTML;
    },
    fragment,
  };
}
