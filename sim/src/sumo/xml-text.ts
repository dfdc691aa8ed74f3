/** Escapes a value for an XML attribute in double quotes. */
export function attr(value: string | number): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number rounded to `digits` decimals, without trailing zeros (SUMO reads either). */
export function round(value: number, digits = 2): string {
  return String(Math.round(value * 10 ** digits) / 10 ** digits);
}

/** A whole XML file: declaration, a comment saying who wrote it, the root element around `lines`. */
export function xmlFile(root: string, comment: string, lines: readonly string[]): string {
  const body = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${comment.replace(/--/g, '- -')} -->\n<${root}>\n${body}</${root}>\n`;
}
