#ifndef CASEBOOK_CSQLITESETTINGS_H
#define CASEBOOK_CSQLITESETTINGS_H

/// Turns on SQLite's query planner stability guarantee for the connection `db` (an `sqlite3 *`); returns 0 on success.
int casebook_sqlite_enable_qpsg(void *db);

/// 1 when the guarantee is on for `db`, 0 when it is off, -1 when SQLite would not say.
int casebook_sqlite_qpsg_enabled(void *db);

#endif
