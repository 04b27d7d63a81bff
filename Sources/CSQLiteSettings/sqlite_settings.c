#include "CSQLiteSettings.h"

// SQLiteNIO builds SQLite with every symbol prefixed `sqlite_nio_`, and it is linked into every binary that links
// CasebookServer. sqlite3_db_config is variadic, which Swift cannot call, hence this file.
extern int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG, from sqlite3.h.
#define CASEBOOK_DBCONFIG_ENABLE_QPSG 1007

int casebook_sqlite_enable_qpsg(void *db) {
    int now = -1;
    int status = sqlite_nio_sqlite3_db_config(db, CASEBOOK_DBCONFIG_ENABLE_QPSG, 1, &now);
    if (status != 0) return status;
    return now == 1 ? 0 : 1;
}

int casebook_sqlite_qpsg_enabled(void *db) {
    int now = -1;
    // A negative value asks without changing anything.
    if (sqlite_nio_sqlite3_db_config(db, CASEBOOK_DBCONFIG_ENABLE_QPSG, -1, &now) != 0) return -1;
    return now;
}
