#!/bin/sh
# Starts one Wisp instance in its own pid and mount namespaces.
# usage: sandbox.sh CGROUP_PROCS_FILE|- DATA_DIR CODE_DIR|- RUNTIME_DIR SCRATCH_DIR UID|- NET COMMAND [ARG...]
# NET must be "net": cutting an instance off the network (nonet:PORT) needs the native sandbox's relay.
# The outer half joins the memory cgroup and unshares. The inner half is pid 1 of the new pid
# namespace: it builds the instance's view of the filesystem, drops privileges and runs the runtime
# as its child, so that when pid 1 dies the kernel kills everything the function started.
# The view: the function's code read-only at /mnt/task, Wisp's runtime files read-only at
# /mnt/runtime, a private writable /tmp, and the server's data directory (other functions' code,
# the registry, keys) hidden under an empty tmpfs.
# CODE_DIR "-" starts a stem cell: the runtime starts with an empty /mnt/task while pid 1 keeps
# the code store reachable in a root-only directory; the server writes the code's key to the
# SCRATCH_DIR/../ctl fifo, pid 1 mounts that code, drops the store and acknowledges on ../ack.
if [ "$1" = "--inner" ]; then
  shift
  data="$1"; code="$2"; runtime="$3"; scratch="$4"; uid="$5"; shift 6
  set -e
  mount -t tmpfs -o size=64k,mode=755 wisp-view /mnt
  mkdir /mnt/task /mnt/runtime /mnt/tmp
  if [ "$code" = "-" ]; then
    mkdir -m 700 /mnt/.wisp
    mkdir /mnt/.wisp/store
    mount --bind "$data/code" /mnt/.wisp/store
    ctl="$(dirname "$scratch")/ctl"
    exec 3<>"$ctl" 4<>"$(dirname "$scratch")/ack"
  else
    mount --bind "$code" /mnt/task
    mount -o remount,bind,ro /mnt/task
  fi
  mount --bind "$runtime" /mnt/runtime
  mount -o remount,bind,ro /mnt/runtime
  mount --bind "$scratch" /mnt/tmp
  mount -t tmpfs -o size=64k,mode=755 wisp-hidden "$data"
  mount --bind /mnt/tmp /tmp
  set +e
  cd /mnt/task || exit 122
  if [ "$uid" = "-" ]; then
    "$@" &
  else
    setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs -- "$@" &
  fi
  child=$!
  if [ "$code" = "-" ]; then
    if read -r key <&3 && [ -d "/mnt/.wisp/store/$key" ] \
        && mount --bind "/mnt/.wisp/store/$key" /mnt/task && mount -o remount,bind,ro /mnt/task; then
      umount -l /mnt/.wisp/store
      echo ok >&4
    else
      echo failed >&4
      kill -9 "$child"
    fi
    exec 3>&- 4>&-
  fi
  wait "$child"
  exit $?
fi
procs="$1"; shift
if [ "$6" != "net" ]; then
  echo "sandbox.sh: network isolation ($6) needs the native sandbox (wisp-sandbox)" >&2
  exit 126
fi
if [ "$procs" != "-" ]; then
  echo $$ > "$procs" || exit 120
fi
exec unshare --pid --fork --kill-child --mount --propagation private --mount-proc -- /bin/sh "$0" --inner "$@"
