/** Public surface of the SQLite backend for Agenda (kept free of app imports so it can be published). */
export { openSqliteDatabase, SqliteBackend } from './SqliteBackend.js'
export type { SqliteBackendOptions } from './SqliteBackend.js'
export { SqliteJobRepository } from './SqliteJobRepository.js'
export type { SqliteJobRepositoryOptions } from './SqliteJobRepository.js'
export { SqliteNotificationChannel } from './SqliteNotificationChannel.js'
export type { SqliteNotificationChannelOptions } from './SqliteNotificationChannel.js'
