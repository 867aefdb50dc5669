// jest `setupFiles` of the int-postgres project: the whole integration suite runs on PostgreSQL.
process.env.TEST_DB = 'postgres'
