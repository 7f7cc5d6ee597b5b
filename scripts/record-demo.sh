#!/bin/sh
# Re-record examples/recordings/demo.jsonl (as root): the live Linux eBPF backend records
# examples/recordings/scenario.sh and keeps only its process tree (record-demo.ts).
# Run after a change to the event model or the Linux backend; test/docs/demo-recording.test.ts
# fails while the committed recording is out of step.
#
#   npm run record:demo            # or: sh scripts/record-demo.sh [out.jsonl]
set -e
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "record-demo: needs root (the live eBPF backend); run: sudo npm run record:demo" >&2
  exit 1
fi
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
command -v python3 >/dev/null || { echo "record-demo: scenario.sh needs python3 (apt-get install python3)" >&2; exit 1; }
exec node --conditions=@edrkit/source --import tsx examples/recordings/record-demo.ts "${1:-examples/recordings/demo.jsonl}"
