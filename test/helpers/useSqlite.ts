// jest `setupFiles` of the int-sqlite project: the whole integration suite runs on SQLite.
process.env.TEST_DB = 'sqlite'
