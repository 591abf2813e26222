/** Template filling on its own, without the catalogue: the webviews use it too (through src/shared). */

/** Puts `args` into a template's `{n}` placeholders (what `vscode.l10n.t` does with a bundle's entry). */
export function fill(template: string, args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => {
    const v = args[Number(n)];
    return v === undefined ? whole : String(v);
  });
}
