#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on one machine, for the cluster tests and benchmarks.
#
#   scripts/galera-cluster.sh start            bootstrap node 1, join 2 and 3, wait for wsrep_cluster_size = 3
#   scripts/galera-cluster.sh stop             end the nodes this script started (and nothing else)
#   scripts/galera-cluster.sh status           exit 0 when all three nodes are up and synced
#   scripts/galera-cluster.sh kill-node N      kill -9 node N (what a power cut does to one server)
#   scripts/galera-cluster.sh start-node N     start node N again; it rejoins and catches up (IST or SST)
#
# Node N listens for SQL on 127.0.0.1:331N; its group, IST and SST ports are 4N67, 4N68 and 4N44. Everything
# (data, sockets, logs, pid files) lives under $GALERA_DIR (default /tmp/cloud-billing-galera), so the
# machine's own MariaDB on 3306 is never touched. The packages come from Debian (mariadb-server, galera-4, and
# rsync for the state transfer), installed when missing.
set -euo pipefail

GALERA_DIR=${GALERA_DIR:-/tmp/cloud-billing-galera}
NODES=(1 2 3)
PROVIDER=/usr/lib/galera/libgalera_smm.so

sql_port() { echo $((3310 + $1)); }
group_port() { echo "4${1}67"; }
node_dir() { echo "$GALERA_DIR/node$1"; }
# By its command line, not its pid file: a joining node writes the pid file only after its state transfer, and a
# second start in that window would race the first for the node's ports and data.
pid_of() { pgrep -f -- "--defaults-file=$(node_dir "$1")/my.cnf" | head -1 || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
client() { mariadb -uroot -h127.0.0.1 -P"$(sql_port "$1")" --connect-timeout=2 -N -B "${@:2}"; }
wsrep_status() { client "$1" -e "SHOW STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'; }

install_packages() {
  local missing=()
  [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  [ -f "$PROVIDER" ] || missing+=(galera-4)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "galera-cluster: installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

write_config() {
  local n=$1 dir
  dir=$(node_dir "$n")
  local members=()
  for m in "${NODES[@]}"; do members+=("127.0.0.1:$(group_port "$m")"); done
  cat >"$dir/my.cnf" <<EOF
[mariadbd]
datadir=$dir/data
socket=$dir/mariadbd.sock
pid-file=$dir/mariadbd.pid
log-error=$dir/error.log
port=$(sql_port "$n")
bind-address=127.0.0.1
user=mysql
# What Galera requires: row-based replication, InnoDB, interleaved auto-increment locks.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
# Small, test-sized servers: three share the machine with the app replicas and the tests.
innodb_buffer_pool_size=128M
max_connections=400
# Durability comes from the other nodes holding every committed write set, as Galera's docs recommend.
innodb_flush_log_at_trx_commit=2
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=cloud_billing_test
wsrep_cluster_address=gcomm://$(IFS=,; echo "${members[*]}")
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(group_port "$n")
wsrep_node_incoming_address=127.0.0.1:$(sql_port "$n")
wsrep_provider_options="base_host=127.0.0.1;base_port=$(group_port "$n");ist.recv_addr=127.0.0.1:4${n}68;gcache.size=256M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:4${n}44
wsrep_slave_threads=2
EOF
}

init_node() {
  local n=$1 dir
  dir=$(node_dir "$n")
  mkdir -p "$dir/data"
  write_config "$n"
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --defaults-file="$dir/my.cnf" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  fi
  chown -R mysql:mysql "$dir"
}

launch() {
  local n=$1 dir
  dir=$(node_dir "$n")
  rm -f "$dir/mariadbd.pid"
  # setsid: the node outlives this script and the test process that called it, and no terminal signal reaches it.
  # 9>&-: the node must not inherit the script's lock, or it would hold it for as long as it runs.
  setsid /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" "${@:2}" >>"$dir/stdout.log" 2>&1 </dev/null 9>&- &
}

wait_synced() {
  local n=$1 deadline=$((SECONDS + ${2:-180}))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(wsrep_status "$n" wsrep_local_state_comment)" = "Synced" ] && return 0
    sleep 1
  done
  echo "galera-cluster: node $n did not reach Synced; its log:" >&2
  tail -40 "$(node_dir "$n")/error.log" >&2
  return 1
}

cluster_up() {
  for n in "${NODES[@]}"; do
    alive "$n" || return 1
    [ "$(wsrep_status "$n" wsrep_local_state_comment)" = "Synced" ] || return 1
  done
  [ "$(wsrep_status 1 wsrep_cluster_size)" = "3" ]
}

start() {
  if cluster_up; then echo "galera-cluster: already running (ports 3311-3313)"; return 0; fi
  install_packages
  mkdir -p "$GALERA_DIR"
  for n in "${NODES[@]}"; do init_node "$n"; done
  if ! alive 1 && ! alive 2 && ! alive 3; then
    # No member is up: node 1 starts a new cluster. Its state file may say it is unsafe to bootstrap after
    # a kill; the whole cluster is down, so node 1 is as good a seed as any.
    sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$(node_dir 1)/data/grastate.dat" 2>/dev/null || true
    launch 1 --wsrep-new-cluster
    wait_synced 1
  fi
  for n in "${NODES[@]}"; do alive "$n" || launch "$n"; done
  for n in "${NODES[@]}"; do wait_synced "$n"; done
  local deadline=$((SECONDS + 60))
  until [ "$(wsrep_status 1 wsrep_cluster_size)" = "3" ]; do
    [ $SECONDS -lt $deadline ] || { echo "galera-cluster: cluster size stayed below 3" >&2; exit 1; }
    sleep 1
  done
  client 1 -e "CREATE DATABASE IF NOT EXISTS test"
  echo "galera-cluster: 3 nodes synced on 127.0.0.1:3311-3313 (data in $GALERA_DIR)"
}

stop() {
  for n in "${NODES[@]}"; do
    local pid
    pid=$(pid_of "$n")
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for n in "${NODES[@]}"; do
    for _ in $(seq 1 60); do alive "$n" || break; sleep 1; done
    alive "$n" && kill -9 "$(pid_of "$n")" 2>/dev/null || true
  done
  echo "galera-cluster: stopped"
}

kill_node() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do alive "$1" || return 0; sleep 0.2; done
}

start_node() {
  alive "$1" && return 0
  init_node "$1"
  launch "$1"
  wait_synced "$1"
}

# One start or stop at a time per machine: two callers starting the same node at once would both copy a state
# transfer into its data folder.
mkdir -p "$GALERA_DIR"
exec 9>"$GALERA_DIR/.lock"
flock 9

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) cluster_up ;;
  kill-node) kill_node "${2:?node number}" ;;
  start-node) start_node "${2:?node number}" ;;
  *) echo "usage: $0 start|stop|status|kill-node N|start-node N" >&2; exit 2 ;;
esac
