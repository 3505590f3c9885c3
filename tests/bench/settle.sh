# Sourced by the benchmark scripts: no timed build starts within a minute of a deletion.
#
# ext4 without a journal (as on the VMs these figures come from) does not reuse an inode freed
# in the last minute (five while its inode table is unwritten), and reads each such inode it
# passes whenever it allocates one (fs/ext4/ialloc.c, recently_deleted). A build that starts
# just after a big output was deleted therefore creates its files slower, the more so the more
# was deleted, wherever the new files go: stagedoor's 5,000-page build took 1.2 s (0.4 s in
# the kernel) a minute after any deletion, and 1.6, 2.1, 2.6, 3.1, 3.4 and 4.0 s (5.8 s in
# the kernel) as each build followed the deletion of the one before. That times the file
# system, not the tool. A minute is enough: six minutes after a deletion the same build took
# 1.47 s, one minute after 1.44 s.
#
#   bench_delete PATH...  rm -rf, its time noted when something was there
#   bench_settle          flushes what was written, then waits until a minute has passed
#                         since the last noted deletion (of this script or an earlier one)
#
# The time is kept in target/bench/.deleted under the working directory (every script runs
# from the repository's root).

bench_deleted_at=$PWD/target/bench/.deleted

bench_delete() {
  local p found=0
  for p in "$@"; do
    if [ -e "$p" ] || [ -L "$p" ]; then
      rm -rf -- "$p"
      found=1
    fi
  done
  if [ "$found" = 1 ]; then
    mkdir -p "$(dirname "$bench_deleted_at")"
    date +%s >"$bench_deleted_at"
  fi
}

bench_settle() {
  local since
  # Written back, an inode table no longer keeps a deleted inode for five minutes.
  sync
  [ -f "$bench_deleted_at" ] || return 0
  since=$(($(date +%s) - $(cat "$bench_deleted_at")))
  if [ "$since" -ge 0 ] && [ "$since" -le 61 ]; then
    printf '==> waiting %s s: no timed build starts within a minute of a deletion\n' \
      "$((62 - since))" >&2
    sleep $((62 - since))
  fi
}
