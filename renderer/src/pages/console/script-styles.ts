/**
 * xterm.js draws its themes and cell sizes through <style> elements it creates at run
 * time, which Hearth's CSP (`style-src 'self'`, no 'unsafe-inline') refuses — even an
 * empty one, once it is in the page. Rather than loosen the CSP for every page, script-
 * created "style" elements become inert <template> placeholders whose text goes into a
 * constructed stylesheet (CSSOM, which the CSP allows, as it allows `element.style`).
 * Markup injected into the page still cannot add styles: only `createElement` is wrapped,
 * and only once the Console has opened a terminal.
 */
let installed = false;

export function routeScriptStylesThroughCssom(doc: Document = document): void {
  if (installed || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in doc)) return;
  installed = true;
  const create = doc.createElement.bind(doc);
  function wrapped(tagName: string, options?: ElementCreationOptions): HTMLElement {
    if (tagName.toLowerCase() !== 'style') return create(tagName, options);
    return stylePlaceholder(doc, create('template'));
  }
  doc.createElement = wrapped;
}

/** A stand-in for a <style> element: what is written to its text is applied through CSSOM while it exists. */
function stylePlaceholder(doc: Document, element: HTMLElement): HTMLElement {
  const sheet = new CSSStyleSheet();
  let text = '';
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  Object.defineProperty(element, 'textContent', {
    configurable: true,
    get: () => text,
    set: (value: unknown) => {
      text = typeof value === 'string' ? value : '';
      sheet.replaceSync(text);
    },
  });
  const remove = element.remove.bind(element);
  element.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((other) => other !== sheet);
    remove();
  };
  element.dataset['hearthStyle'] = '';
  return element;
}
