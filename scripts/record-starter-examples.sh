#!/bin/sh
# Re-record test/sigma/fixtures/starter-pack.jsonl (as root): the live Linux eBPF backend
# records test/sigma/fixtures/starter-scenario.sh (one harmless instance of what each starter
# rule describes). test/sigma/starter-pack.test.ts checks that every starter rule fires on it.
# Run after adding a starter rule (extend the scenario first).
#
#   npm run record:starter-examples
set -e
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "record-starter-examples: needs root (the live eBPF backend)" >&2
  exit 1
fi
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
exec node --conditions=@edrkit/source --import tsx examples/recordings/record-demo.ts \
  test/sigma/fixtures/starter-pack.jsonl test/sigma/fixtures/starter-scenario.sh \
  process.exec,process.fork,process.exit,file.create,file.modify,file.delete,file.rename,file.attr,net.connect
