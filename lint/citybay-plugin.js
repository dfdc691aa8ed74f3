// citybay's own ESLint rules: the dependency rule between workspaces and the purity of the core. The policy (which
// package may import which, which files are pure) is data in eslint.config.js; these rules only apply it.
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')));
const SCOPE = '@citybay/';

/** Path of `filename` relative to the repository root, with `/` separators. */
function repoPath(filename) {
  return relative(REPO_ROOT, filename).split(sep).join('/');
}

/** The workspace a repository path belongs to (its first folder), or undefined for files at the root. */
function workspaceOf(path) {
  const slash = path.indexOf('/');
  return slash > 0 && !path.startsWith('..') ? path.slice(0, slash) : undefined;
}

const declaredCache = new Map();
/** The `@citybay/*` packages a workspace's package.json declares (dependencies of any kind). */
function declaredDependencies(workspace) {
  if (!declaredCache.has(workspace)) {
    const file = join(REPO_ROOT, workspace, 'package.json');
    const declared = new Set();
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const name of Object.keys(pkg[field] ?? {})) {
          if (name.startsWith(SCOPE)) declared.add(name.slice(SCOPE.length));
        }
      }
    }
    declaredCache.set(workspace, declared);
  }
  return declaredCache.get(workspace);
}

/**
 * Calls `visit(specifier, node, isTypeOnly)` for every module a file names: static and dynamic imports,
 * re-exports, `import x = require()`, `require()` and `import('…')` types.
 */
function moduleVisitors(visit) {
  const fromSource = (node, isTypeOnly) => {
    if (node.source && typeof node.source.value === 'string') visit(node.source.value, node.source, isTypeOnly);
  };
  return {
    ImportDeclaration: (node) =>
      fromSource(
        node,
        node.importKind === 'type' ||
          (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type')),
      ),
    ExportNamedDeclaration: (node) =>
      fromSource(
        node,
        node.exportKind === 'type' ||
          (node.specifiers.length > 0 && node.specifiers.every((s) => s.exportKind === 'type')),
      ),
    ExportAllDeclaration: (node) => fromSource(node, node.exportKind === 'type'),
    ImportExpression: (node) => {
      if (node.source.type === 'Literal' && typeof node.source.value === 'string') {
        visit(node.source.value, node.source, false);
      }
    },
    TSImportType: (node) => {
      const literal = node.source ?? node.argument?.literal;
      if (literal && typeof literal.value === 'string') visit(literal.value, literal, true);
    },
    TSExternalModuleReference: (node) => {
      if (typeof node.expression.value === 'string') visit(node.expression.value, node.expression, false);
    },
    CallExpression: (node) => {
      const [arg] = node.arguments;
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') {
        if (typeof arg.value === 'string') visit(arg.value, arg, false);
      }
    },
  };
}

/** `@citybay/edge/testing` → `edge`. */
function citybayPackage(specifier) {
  return specifier.startsWith(SCOPE) ? specifier.slice(SCOPE.length).split('/')[0] : undefined;
}

const dependencyRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Workspaces import each other only along the dependency rule, by name, and as declared.' },
    schema: [
      {
        type: 'object',
        properties: {
          allowed: {
            type: 'object',
            additionalProperties: { oneOf: [{ type: 'array', items: { type: 'string' } }, { enum: ['*'] }] },
          },
        },
        required: ['allowed'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden:
        '{{from}} may not import @citybay/{{to}} (also not as a type): the dependency rule (docs/architecture.md) ' +
        'lets {{from}} import {{allowed}}.',
      unknownWorkspace: '{{from}} is not in the dependency rule of eslint.config.js: add it there first.',
      undeclared: '@citybay/{{to}} is imported but not declared in {{from}}/package.json: add it to "dependencies".',
      crossPackagePath:
        'Import another workspace by its package name (its exports), never by a path into it ("{{specifier}}").',
    },
  },
  create(context) {
    const { allowed } = context.options[0];
    const path = repoPath(context.filename);
    const from = workspaceOf(path);
    if (from === undefined) return {};
    const own = allowed[from];
    return moduleVisitors((specifier, node) => {
      if (specifier.startsWith('.')) {
        const target = repoPath(resolve(dirname(context.filename), specifier));
        if (workspaceOf(target) !== from) {
          context.report({ node, messageId: 'crossPackagePath', data: { specifier } });
        }
        return;
      }
      const to = citybayPackage(specifier);
      if (to === undefined || to === from) return;
      if (own === undefined) {
        context.report({ node, messageId: 'unknownWorkspace', data: { from } });
      } else if (own !== '*' && !own.includes(to)) {
        const list = own.length === 0 ? 'no other workspace' : own.map((name) => SCOPE + name).join(', ');
        context.report({ node, messageId: 'forbidden', data: { from, to, allowed: list } });
      } else if (!declaredDependencies(from).has(to)) {
        context.report({ node, messageId: 'undeclared', data: { from, to } });
      }
    });
  },
};

/** Globals pure code must not touch: they are the clock, randomness, the process, timers or the network. */
const IMPURE_GLOBALS = new Map([
  ['process', 'the process (environment, arguments, streams) belongs to the shell; pass settings in'],
  ['performance', 'a clock: take a Clock argument'],
  ['setTimeout', 'a timer is a clock: the shell schedules'],
  ['setInterval', 'a timer is a clock: the shell schedules'],
  ['setImmediate', 'scheduling belongs to the shell'],
  ['fetch', 'network I/O belongs to the shell'],
  ['crypto', 'randomness: take a seeded RNG argument'],
]);

const pureCore = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Pure code (src/core/**, sim outside cli/ and pool/, guidance) does no I/O and reads no clock, ' +
        'randomness or environment.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          pure: { type: 'array', items: { type: 'string' } },
          impureModules: { type: 'array', items: { type: 'string' } },
          pureBuiltins: { type: 'array', items: { type: 'string' } },
        },
        required: ['pure', 'impureModules'],
        additionalProperties: false,
      },
    ],
    messages: {
      builtin:
        'Pure code may not import "{{specifier}}" (Node.js I/O or process API): do it in the shell and pass the result in.',
      impureModule: 'Pure code may not import "{{specifier}}" (I/O, logging or threads belong to the shell).',
      impureFile:
        'Pure code may not load "{{specifier}}" at run time: it is shell code (I/O). Import only its types, ' +
        'or move the pure part out of it.',
      dateNow: 'Pure code may not read the clock (Date.now()): take a Clock argument.',
      newDate: 'Pure code may not read the clock (new Date() / Date() without a time): take a Clock argument.',
      mathRandom: 'Pure code may not use Math.random(): take a seeded RNG argument (createSeededRandom).',
      impureGlobal: 'Pure code may not use the global "{{name}}": {{why}}.',
    },
  },
  create(context) {
    const { pure, impureModules, pureBuiltins = [] } = context.options[0];
    const pureRegexes = pure.map((source) => new RegExp(source));
    const isPure = (path) => pureRegexes.some((regex) => regex.test(path));
    if (!isPure(repoPath(context.filename))) return {};
    const allowedBuiltins = new Set(pureBuiltins);
    const isImpureModule = (specifier) =>
      impureModules.some((name) => specifier === name || specifier.startsWith(`${name}/`));

    const visitors = moduleVisitors((specifier, node, isTypeOnly) => {
      if (isTypeOnly) return;
      const bare = specifier.replace(/^node:/, '');
      if (specifier.startsWith('node:') || BUILTINS.has(bare.split('/')[0])) {
        if (!allowedBuiltins.has(bare)) context.report({ node, messageId: 'builtin', data: { specifier } });
      } else if (isImpureModule(specifier)) {
        context.report({ node, messageId: 'impureModule', data: { specifier } });
      } else if (specifier.startsWith('.')) {
        const target = repoPath(resolve(dirname(context.filename), specifier)).replace(/\.js$/, '.ts');
        if (!isPure(target)) context.report({ node, messageId: 'impureFile', data: { specifier } });
      }
    });

    return {
      ...visitors,
      'Program:exit'(program) {
        const globalScope = context.sourceCode.getScope(program);
        // Globals the configuration declares (Date, Math, process…) are variables of the global scope; the
        // rest are references passing through it. A module-level declaration of the same name shadows both.
        const references = [...globalScope.through];
        for (const variable of globalScope.variables) {
          if (variable.defs.length === 0) references.push(...variable.references);
        }
        for (const reference of references) {
          const id = reference.identifier;
          const parent = id.parent;
          const member = parent.type === 'MemberExpression' && parent.object === id ? parent : undefined;
          const property = member && !member.computed ? member.property.name : undefined;
          if (id.name === 'Date') {
            if (property === 'now') context.report({ node: member, messageId: 'dateNow' });
            // Date() called without `new` ignores its arguments and returns the current time as a string.
            const isNow =
              (parent.type === 'NewExpression' && parent.callee === id && parent.arguments.length === 0) ||
              (parent.type === 'CallExpression' && parent.callee === id);
            if (isNow) context.report({ node: parent, messageId: 'newDate' });
          } else if (id.name === 'Math' && property === 'random') {
            context.report({ node: member, messageId: 'mathRandom' });
          } else if (id.name === 'globalThis' && property !== undefined && IMPURE_GLOBALS.has(property)) {
            context.report({
              node: member,
              messageId: 'impureGlobal',
              data: { name: property, why: IMPURE_GLOBALS.get(property) },
            });
          } else if (IMPURE_GLOBALS.has(id.name)) {
            context.report({
              node: id,
              messageId: 'impureGlobal',
              data: { name: id.name, why: IMPURE_GLOBALS.get(id.name) },
            });
          }
        }
      },
    };
  },
};

export default {
  meta: { name: 'citybay' },
  rules: { 'dependency-rule': dependencyRule, 'pure-core': pureCore },
};
