// The entry of an import's CSV parsing thread (see readCsvRecordsInWorker.ts). The worker is
// TypeScript and a new thread has no loader of its own (under jest there is none to inherit), so
// this registers tsx's require hook in the thread and loads the same modules the import uses.
// CommonJS on purpose: the require hook is ready in a few milliseconds, where tsx's ESM loader
// first starts a hooks thread (about 100 ms more per import).
require('tsx/cjs/api').register()
require('./csvParseWorker.ts')
