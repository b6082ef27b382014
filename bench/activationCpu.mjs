// One fresh process's CPU time (user + system) to load a Headroom dist/extension.js and call its
// activate() against a stand-in `vscode` module: a figure that a loaded machine disturbs far less
// than VS Code's own activation time (wall clock), so two builds compare on a shared machine.
// It counts what the extension itself does (reading and compiling its bundles, running activate()),
// not VS Code's side of the API calls. Usage: node bench/activationCpu.mjs DIST; prints one JSON line.
import Module, { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'dist');

/** Any property is another stand-in, any call or `new` gives one: enough for activate() to wire. */
function standIn() {
  const target = function () {};
  return new Proxy(target, {
    get(_target, prop) {
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'then') return undefined; // not a thenable
      if (prop === 'prototype') return target.prototype;
      if (prop === 'length') return 0;
      if (prop === 'fsPath' || prop === 'path') return dist;
      if (prop === 'workspaceFolders') return [];
      return standIn();
    },
    apply: () => standIn(),
    construct: () => standIn(),
    set: () => true,
    // esbuild's __toESM copies a module onto an object whose prototype is the module: named imports
    // then reach the stand-in through the prototype.
    getPrototypeOf: () => vscode,
  });
}
const vscode = standIn();
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const require = createRequire(import.meta.url);
const start = process.cpuUsage();
const extension = require(join(dist, 'extension.js'));
const loaded = process.cpuUsage(start);
extension.activate(standIn());
const total = process.cpuUsage(start);
const ms = (usage) => (usage.user + usage.system) / 1000;
console.log(JSON.stringify({ cpuMs: ms(total), loadMs: ms(loaded), activateMs: ms(total) - ms(loaded) }));
// activate() starts timers (the monitor): end here, what came after activation is not counted.
setTimeout(() => process.exit(0), 10);
