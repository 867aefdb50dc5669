// The entry of the bulk layer's SQLite thread (see threadClient.ts). The thread runs TypeScript and
// a new thread has no loader of its own (under jest there is none to inherit), so this registers
// tsx's require hook in the thread and loads the worker module (CommonJS: the require hook is
// ready in a few milliseconds, where tsx's ESM loader first starts a hooks thread).
require('tsx/cjs/api').register()
require('./bulkThread.ts')
