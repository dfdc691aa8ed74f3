/**
 * YAML from outside (site files, device profiles) parsed with bounds: syntax errors with their line,
 * aliases (unresolved, recursive, or so many that they expand into a memory bomb) reported at the
 * path where they are used, nesting deeper than any config needs and documents with more nodes than
 * any config has refused, so that nothing downstream (schema checks, layout) ever walks a cycle, a
 * stack-deep tree or an expanded bomb. Pure: text in, data or a problem out; never throws.
 */
import { type Document, isPair, isSeq, parseDocument, visit } from 'yaml';

export interface SafeYamlLimits {
  /** Alias expansions allowed (the `yaml` package's own bound). Default 100. */
  maxAliasCount?: number;
  /** Deepest nesting of maps and lists. Default 32. */
  maxDepth?: number;
  /** Most values (maps, lists, scalars) in the document after aliases are expanded. Default 1,000,000. */
  maxNodes?: number;
}

/** The data, or what is wrong: a message, the dotted path it is at ('' for the document) and its line. */
export type SafeYamlResult = { ok: true; data: unknown } | { ok: false; path: string; message: string };

type PathPart = string | number;

function dotted(parts: readonly PathPart[]): string {
  return parts.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`),
    '',
  );
}

/** The path of every alias in the document, with the anchor it names. */
function aliasPaths(doc: Document): { path: string; source: string }[] {
  const found: { path: string; source: string }[] = [];
  visit(doc, {
    Alias(_key, node, ancestors) {
      const parts: PathPart[] = [];
      const chain = [...ancestors, node];
      for (let i = 0; i < chain.length - 1; i++) {
        const parent = chain[i];
        const child = chain[i + 1];
        if (isPair(parent) && child === parent.value) parts.push(String((parent.key as { value?: unknown })?.value));
        if (isSeq(parent)) parts.push(parent.items.indexOf(child as never));
      }
      found.push({ path: dotted(parts), source: node.source });
    },
  });
  return found;
}

const DEFAULT_LIMITS: Required<SafeYamlLimits> = { maxAliasCount: 100, maxDepth: 32, maxNodes: 1_000_000 };

/**
 * Walks parsed data without recursion (also JSON from `JSON.parse`): cycles, depth and size, with the
 * path where a bound is passed.
 */
export function checkDataShape(data: unknown, limits: SafeYamlLimits = {}): SafeYamlResult {
  const { maxDepth, maxNodes } = { ...DEFAULT_LIMITS, ...limits };
  const stack: { value: unknown; path: PathPart[]; ancestors: Set<unknown> }[] = [
    { value: data, path: [], ancestors: new Set() },
  ];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path, ancestors } = stack.pop()!;
    if (++nodes > maxNodes) {
      return { ok: false, path: dotted(path), message: `more than ${maxNodes} values (aliases expanded)` };
    }
    if (value === null || typeof value !== 'object') continue;
    if (ancestors.has(value)) return { ok: false, path: dotted(path), message: 'an alias refers to itself (a cycle)' };
    if (path.length >= maxDepth) {
      return { ok: false, path: dotted(path), message: `nested deeper than ${maxDepth} levels` };
    }
    const inner = new Set(ancestors).add(value);
    const entries: [PathPart, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value as Record<string, unknown>);
    for (const [key, child] of entries) stack.push({ value: child, path: [...path, key], ancestors: inner });
  }
  return { ok: true, data };
}

/** Parses YAML from outside within `limits`; JSON is YAML, so JSON files go through here too. */
export function parseYamlSafely(text: string, limits: SafeYamlLimits = {}): SafeYamlResult {
  const bounds = { ...DEFAULT_LIMITS, ...limits };
  let doc: Document;
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    // The parser itself recurses: a document nested thousands deep overflows its stack.
    return { ok: false, path: '', message: `cannot be parsed: ${(err as Error).message.split('\n')[0]}` };
  }
  const syntax = doc.errors[0];
  if (syntax !== undefined && /Maximum call stack/.test(syntax.message)) {
    return { ok: false, path: '', message: 'nested too deep to parse (the parser ran out of stack)' };
  }
  if (syntax !== undefined) {
    const line = syntax.linePos?.[0]?.line;
    return {
      ok: false,
      path: '',
      message: `not valid YAML${line ? ` at line ${line}` : ''}: ${syntax.message.split('\n')[0]}`,
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: bounds.maxAliasCount });
  } catch (err) {
    const aliases = aliasPaths(doc);
    const message = (err as Error).message;
    if (/Unresolved alias/.test(message)) {
      const anchors = new Set<string>();
      visit(doc, { Node: (_k, node) => void (node.anchor && anchors.add(node.anchor)) });
      const bad = aliases.find((a) => !anchors.has(a.source)) ?? aliases[0];
      return {
        ok: false,
        path: bad?.path ?? '',
        message: `alias *${bad?.source ?? '?'} names no anchor defined before it`,
      };
    }
    if (/Excessive alias count/.test(message)) {
      return {
        ok: false,
        path: aliases[0]?.path ?? '',
        message: `aliases expand to too much data (more than ${bounds.maxAliasCount} alias expansions allowed)`,
      };
    }
    return { ok: false, path: aliases[0]?.path ?? '', message: `cannot be read: ${message.split('\n')[0]}` };
  }
  return checkDataShape(data, bounds);
}
