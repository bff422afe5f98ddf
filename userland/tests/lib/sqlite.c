/* SQLite (Debian's libsqlite3.a, linked statically with glibc) on a database file:
 * schema, a transaction of inserts, queries with joins, aggregates and ordering, a
 * rollback, a second connection from a child process refused while the parent holds the
 * lock and let in after its commit, and
 * the integrity check. File locking, pread/pwrite and fsync are what it exercises. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

static const char *DB = "/tmp/sqlite-corpus.db";

static int row(void *tag, int n, char **v, char **names) {
    printf("%s:", (const char *)tag);
    for (int i = 0; i < n; i++) {
        printf(" %s=%s", names[i], v[i] ? v[i] : "NULL");
    }
    printf("\n");
    return 0;
}

static void exec(sqlite3 *db, const char *tag, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, row, (void *)tag, &err) != SQLITE_OK) {
        printf("%s: error: %s\n", tag, err);
        sqlite3_free(err);
    }
}

int main(void) {
    unlink(DB);
    sqlite3 *db;
    if (sqlite3_open(DB, &db) != SQLITE_OK) {
        printf("open failed\n");
        return 1;
    }
    exec(db, "schema", "CREATE TABLE city(id INTEGER PRIMARY KEY, name TEXT, country TEXT, pop INTEGER);"
                       "CREATE TABLE country(code TEXT PRIMARY KEY, name TEXT);"
                       "CREATE INDEX city_pop ON city(pop);");
    exec(db, "insert", "BEGIN;"
                       "INSERT INTO country VALUES ('FR','France'),('DE','Germany'),('JP','Japan');"
                       "INSERT INTO city(name,country,pop) VALUES ('Paris','FR',2102650),('Lyon','FR',522250),"
                       "('Berlin','DE',3645000),('Hamburg','DE',1841000),('Tokyo','JP',13960000),('Osaka','JP',2691000);"
                       "COMMIT;");
    exec(db, "join", "SELECT country.name AS country, count(*) AS cities, sum(pop) AS pop FROM city "
                     "JOIN country ON city.country = country.code GROUP BY country.name ORDER BY pop DESC;");
    exec(db, "rollback", "BEGIN; DELETE FROM city; ROLLBACK; SELECT count(*) AS left FROM city;");
    exec(db, "text", "SELECT upper(name) AS n, length(name) AS l, printf('%08.2f', pop / 1e6) AS m "
                     "FROM city WHERE pop > 2000000 ORDER BY name;");
    fflush(stdout);
    exec(db, "lock", "BEGIN EXCLUSIVE; INSERT INTO city(name,country,pop) VALUES ('Munich','DE',1488000);");
    for (int round = 0; round < 2; round++) {
        /* First while the parent holds the lock (busy), then after its commit. */
        fflush(stdout);
        pid_t p = fork();
        if (p == 0) {
            sqlite3 *c;
            sqlite3_open(DB, &c);
            exec(c, round == 0 ? "child while locked" : "child after commit",
                 "INSERT INTO city(name,country,pop) VALUES ('Kyoto','JP',1475000);"
                 "SELECT count(*) AS cities FROM city;");
            sqlite3_close(c);
            fflush(stdout);
            _exit(0);
        }
        int st;
        waitpid(p, &st, 0);
        if (round == 0) {
            exec(db, "parent", "COMMIT;");
        }
    }
    exec(db, "after", "SELECT count(*) AS cities, max(name) AS last FROM city;");
    exec(db, "check", "PRAGMA integrity_check;");
    sqlite3_close(db);
    unlink(DB);
    return 0;
}
