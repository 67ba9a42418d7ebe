#!/usr/bin/env bash
# A store that cannot be written (in a directory without write permission,
# the file read-only, or another user's) is still read by the verbs that
# only read: runs, pain, load, plan, report, intake show, screen show give
# the same output as on a writable store, and nothing is written beside the
# file.  A verb that writes says the store cannot be written.  An older
# schema in a store that cannot be written is refused with what to do; one
# that can is upgraded by a reading verb.  A store missing a table says so.
# As root, file modes do not stop us: the read-only runs are done as the
# user nobody (setpriv); otherwise as ourselves.  As root also: an immutable
# file (chattr +i) and a read-only bind mount (unshare -m), where possible.
# Usage: test_store_readonly.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
. "$(dirname "$0")/lib.sh"
unset GAITKEEPER_DB XDG_DATA_HOME
export HOME="$tmp/home"
if ! command -v sqlite3 >/dev/null; then
  echo "FAIL: needs the sqlite3 shell"; echo "0 passed, 1 failed"; exit 1
fi
as_other=()
if [ "$(id -u)" -eq 0 ]; then
  if ! command -v setpriv >/dev/null; then
    echo "FAIL: running as root needs setpriv"; echo "0 passed, 1 failed"; exit 1
  fi
  as_other=(setpriv --reuid 65534 --regid 65534 --clear-groups)
  chmod 755 "$tmp" # let nobody reach the store (the test's own directory)
fi
dir="$tmp/store"
"$gk" demo --dir "$dir" >/dev/null 2>"$tmp/demo.err"
check "demo store made" test -s "$dir/gaitkeeper.db"
db="$dir/gaitkeeper.db"
verbs=("runs" "runs --json" "pain" "pain --json" "load --date 2026-11-01"
       "plan --date 2026-11-01" "report --date 2026-11-01" "intake show" "screen show")
i=0
for v in "${verbs[@]}"; do
  # shellcheck disable=SC2086
  "$gk" --db "$db" $v >"$tmp/want.$i" 2>&1
  i=$((i + 1))
done

# ---- the directory and the file read-only -----------------------------------
chmod 644 "$db" # readable by nobody (the test's stand-in for another user)
chmod 555 "$dir"
sum=$(sha256sum "$db")
i=0
for v in "${verbs[@]}"; do
  # shellcheck disable=SC2086
  "${as_other[@]}" "$gk" --db "$db" $v >"$tmp/got.$i" 2>&1
  rc=$?
  check "read-only directory: $v: exit 0 ($(head -c 150 "$tmp/got.$i"))" test $rc -eq 0
  check "read-only directory: $v: same output" cmp -s "$tmp/want.$i" "$tmp/got.$i"
  i=$((i + 1))
done
"${as_other[@]}" "$gk" --db "$db" pain add --date 2026-11-02 --during 2 >"$tmp/out" 2>"$tmp/err"
check "read-only: pain add: exit 1" test $? -eq 1
check "  says the file cannot be written" grep -q "cannot open for writing: the file is read-only" "$tmp/err"
check "read-only: file unchanged" test "$(sha256sum "$db")" = "$sum"
check "read-only: no -wal or -shm made" test ! -e "$db-wal" -a ! -e "$db-shm"

# ---- root: an immutable file (chattr +i), a read-only bind mount -------------
# (each only where this machine allows it; said so when skipped)
if [ "$(id -u)" -eq 0 ]; then
  chmod 755 "$dir"
  mkdir "$tmp/imm" && cp "$db" "$tmp/imm/s.db"
  if chattr +i "$tmp/imm/s.db" 2>/dev/null; then
    "$gk" --db "$tmp/imm/s.db" runs >"$tmp/got" 2>&1
    check "immutable file (as root): runs: same output" cmp -s "$tmp/want.0" "$tmp/got"
    "$gk" --db "$tmp/imm/s.db" pain add --date 2026-11-02 --during 2 >/dev/null 2>"$tmp/err"
    check "immutable file (as root): pain add says it cannot write" \
      grep -q "cannot open for writing: the file is read-only" "$tmp/err"
    chattr -i "$tmp/imm/s.db"
  else
    echo "skipped: chattr +i is not possible here"
  fi
  mkdir "$tmp/mnt"
  if unshare -m sh -c "mount --bind '$dir' '$tmp/mnt' && mount -o remount,bind,ro '$tmp/mnt'" 2>/dev/null; then
    unshare -m sh -c "mount --bind '$dir' '$tmp/mnt' && mount -o remount,bind,ro '$tmp/mnt' &&
      '$gk' --db '$tmp/mnt/gaitkeeper.db' runs" >"$tmp/got" 2>&1
    check "read-only bind mount (as root): runs: same output" cmp -s "$tmp/want.0" "$tmp/got"
  else
    echo "skipped: no read-only bind mount here (unshare -m)"
  fi
  check "root cases: store file unchanged" test "$(sha256sum "$db")" = "$sum"
fi

# ---- an older schema where it cannot be upgraded, then where it can ---------
chmod 755 "$dir"
cp "$db" "$tmp/v1.db"
# back to schema 1: the later tables dropped, activities rebuilt as schema 1
# had it (content_hash UNIQUE, no runner_id), pain without runner_id
old=$(sqlite3 "$tmp/v1.db" "SELECT sql FROM sqlite_master WHERE name = 'activities'")
cols=$(sqlite3 "$tmp/v1.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('activities') WHERE name != 'runner_id'")
old=${old/content_hash INTEGER NOT NULL,/content_hash INTEGER NOT NULL UNIQUE,}
old=${old/, runner_id INTEGER NOT NULL REFERENCES runner(id), UNIQUE (runner_id, content_hash)/}
old=${old/CREATE TABLE \"activities\"/CREATE TABLE activities_v1}
sqlite3 "$tmp/v1.db" "PRAGMA foreign_keys = OFF; BEGIN; DROP TABLE cadence_target; DROP TABLE exercise_session; DROP TABLE clinician; DROP TABLE captures; DROP TABLE answers; $old; INSERT INTO activities_v1 ($cols) SELECT $cols FROM activities; DROP TABLE activities; ALTER TABLE activities_v1 RENAME TO activities; CREATE INDEX activities_start ON activities(start_time); DROP INDEX pain_runner_day; ALTER TABLE pain DROP COLUMN runner_id; CREATE INDEX pain_day ON pain(day); DROP TABLE runner; PRAGMA user_version = 1; COMMIT;"
check "schema 1 made by hand" test "$(sqlite3 "$tmp/v1.db" 'PRAGMA user_version')" = 1
mkdir "$tmp/old" && mv "$tmp/v1.db" "$tmp/old/" && chmod 644 "$tmp/old/v1.db" && chmod 555 "$tmp/old"
"${as_other[@]}" "$gk" --db "$tmp/old/v1.db" runs >/dev/null 2>"$tmp/err"
check "older schema, read-only: exit 1" test $? -eq 1
check "  says to open it writable once" grep -q "the store's schema (1) is older than this build's (5): open it once writable to upgrade it" "$tmp/err"
chmod 755 "$tmp/old"
"$gk" --db "$tmp/old/v1.db" runs >"$tmp/out" 2>"$tmp/err"
check "older schema, writable: runs exits 0" test $? -eq 0
check "  and lists the runs" cmp -s "$tmp/out" "$tmp/want.0"
check "  the store was upgraded" test "$(sqlite3 "$tmp/old/v1.db" 'PRAGMA user_version')" = 5

# ---- a damaged store ----------------------------------------------------------
cp "$db" "$tmp/damaged.db"
sqlite3 "$tmp/damaged.db" "DROP TABLE pain;"
"$gk" --db "$tmp/damaged.db" pain >/dev/null 2>"$tmp/err"
check "missing table: pain: exit 1" test $? -eq 1
check "  names the missing table" grep -q "pain: $tmp/damaged.db: the store is damaged: missing table pain" "$tmp/err"
"$gk" --db "$tmp/damaged.db" pain add --date 2026-11-02 --during 2 >/dev/null 2>"$tmp/err"
check "missing table: pain add: exit 1, same message" grep -q "the store is damaged: missing table pain" "$tmp/err"
summary
