#!/bin/sh
# Starts one Wisp instance in its own pid and mount namespaces.
# usage: sandbox.sh CGROUP_PROCS_FILE|- CODE_DIR UID|- COMMAND [ARG...]
# The outer half joins the memory cgroup and unshares; the inner half (pid 1 of the new pid
# namespace) makes the code read-only, drops privileges and runs the runtime as its child, so that
# when pid 1 dies the kernel kills everything the function started.
if [ "$1" = "--inner" ]; then
  shift
  code="$1"; uid="$2"; shift 2
  mount --bind "$code" "$code" && mount -o remount,bind,ro "$code" || exit 121
  cd "$code" || exit 122
  if [ "$uid" = "-" ]; then
    "$@"
  else
    setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs -- "$@"
  fi
  exit $?
fi
procs="$1"; code="$2"; uid="$3"; shift 3
if [ "$procs" != "-" ]; then
  echo $$ > "$procs" || exit 120
fi
exec unshare --pid --fork --kill-child --mount --propagation private --mount-proc -- /bin/sh "$0" --inner "$code" "$uid" "$@"
