// @ts-check
// The `drydock/import-boundaries` ESLint rule: which folder of src/ may import what. It resolves each relative
// import against the importing file (so `../../core/x` and `../core/x` are judged by where they land, not by how
// they are spelled) and tells type-only imports (erased by the compiler) from runtime ones.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * One boundary: every import from a file under `files` (a folder or file relative to the repository root,
 * `/`-separated) is checked against it.
 * - `denyPackages`: bare specifiers (`vscode`, `node:fs`) refused, by package name; `true` refuses every package.
 * - `allow`: if given, a relative import must land under one of these folders or files.
 * - `allowTypesFrom`: folders a type-only import may also come from (runtime imports from them stay refused).
 * - `deny`: folders or files a relative import must not land in.
 * - `onlyThrough`: an import landing in `folder` must be one of `entries` (its public modules; `folder/*`: the
 *   files directly in it).
 * - `except`: folders or files under `files` the boundary does not apply to (the one layer allowed what it denies).
 * - `why`: the reason, shown in the message.
 * @typedef {{ folder: string, entries: string[] }} OnlyThrough
 * @typedef {{ files: string, except?: string[], denyPackages?: string[] | true, allow?: string[],
 *   allowTypesFrom?: string[], deny?: string[], onlyThrough?: OnlyThrough, why: string }} Boundary
 */

/** Whether path `p` is `folderOrFile` or lies under it; `folder/*` means the files directly in `folder`. @param {string} p @param {string} folderOrFile */
function isUnder(p, folderOrFile) {
  if (folderOrFile.endsWith('/*')) {
    const folder = folderOrFile.slice(0, -2);
    return p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/');
  }
  return p === folderOrFile || p.startsWith(`${folderOrFile}/`) || stripExt(p) === stripExt(folderOrFile);
}

/** @param {string} p */
function stripExt(p) {
  return p.replace(/\.(ts|tsx|mts|cts|js|mjs|cjs)$/, '').replace(/\/index$/, '');
}

/**
 * What an import violates, or undefined. `spec`: the module specifier; `from`: the importing file's path relative to
 * the root; `typeOnly`: whether the import is erased at runtime; `root`: where folders are looked up (an import of a
 * folder means its index.ts).
 * @param {Boundary} b @param {string} from @param {string} spec @param {boolean} typeOnly @param {string} root
 * @returns {string | undefined}
 */
export function violation(b, from, spec, typeOnly, root) {
  const relative = spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
  if (!relative) {
    const pkg = (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]) ?? spec;
    const denied = b.denyPackages === true || b.denyPackages?.includes(pkg);
    return denied ? `'${spec}' may not be imported here` : undefined;
  }
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const target = fs.statSync(path.join(root, joined), { throwIfNoEntry: false })?.isDirectory()
    ? `${joined}/index.ts`
    : joined;
  if (b.allow && !b.allow.some((a) => isUnder(target, a))) {
    if (!(typeOnly && b.allowTypesFrom?.some((a) => isUnder(target, a)))) {
      return `'${spec}' (${target}) is outside ${b.allow.join(', ')}${b.allowTypesFrom ? ' (types may also come from ' + b.allowTypesFrom.join(', ') + ')' : ''}`;
    }
  }
  const denied = b.deny?.find((d) => isUnder(target, d));
  if (denied) return `'${spec}' reaches into ${denied}`;
  if (
    b.onlyThrough &&
    isUnder(target, b.onlyThrough.folder) &&
    !b.onlyThrough.entries.some((e) => isUnder(target, e))
  ) {
    return `'${spec}' reaches into ${b.onlyThrough.folder} internals (use ${b.onlyThrough.entries.join(' or ')})`;
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps each folder of src/ to the imports its layer allows' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, boundaries: { type: 'array' } },
        additionalProperties: false,
      },
    ],
    messages: { boundary: '{{detail}}: {{why}}' },
  },
  create(context) {
    const options = /** @type {{ root?: string, boundaries: Boundary[] }} */ (context.options[0] ?? { boundaries: [] });
    const root = options.root ?? context.cwd;
    const from = path.relative(root, context.filename).split(path.sep).join('/');
    const applicable = options.boundaries.filter(
      (b) => isUnder(from, b.files) && !b.except?.some((e) => isUnder(from, e)),
    );
    if (!applicable.length) return {};

    /** @param {import('estree').Node} node @param {unknown} source @param {boolean} typeOnly */
    function check(node, source, typeOnly) {
      if (typeof source !== 'string') return;
      for (const b of applicable) {
        const detail = violation(b, from, source, typeOnly, root);
        if (detail) context.report({ node, messageId: 'boundary', data: { detail, why: b.why } });
      }
    }
    /** Import/export declarations carry `importKind`/`exportKind` from the TypeScript parser. @param {any} node */
    function isTypeOnlyDeclaration(node) {
      if (node.importKind === 'type' || node.exportKind === 'type') return true;
      const specifiers = /** @type {any[]} */ (node.specifiers ?? []);
      return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value, isTypeOnlyDeclaration(node)),
      ExportNamedDeclaration: (node) => {
        if (node.source) check(node, node.source.value, isTypeOnlyDeclaration(node));
      },
      ExportAllDeclaration: (node) => check(node, node.source.value, isTypeOnlyDeclaration(node)),
      ImportExpression: (node) => {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
      },
      CallExpression: (node) => {
        const arg = node.arguments[0];
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') {
          check(node, arg.value, false);
        }
      },
      /** `import('x').T` in a type position. @param {any} node */
      TSImportType: (node) => {
        const source = node.argument?.literal?.value ?? node.source?.value;
        check(node, source, true);
      },
    };
  },
};

export default { rules: { 'import-boundaries': importBoundaries } };
