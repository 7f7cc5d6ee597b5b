#!/bin/sh
# The activity recorded in demo.jsonl (see README.md here): a payload fetched over HTTP from a
# local server, made executable and run from /tmp, some discovery, file churn, a DNS question.
set -e
# The system interpreter, not a version-manager shim (keeps the recording to the scenario).
PY=$(command -v /usr/bin/python3 || command -v python3)
work=$(mktemp -d /tmp/edrkit-demo.XXXXXX)
cd "$work"
printf '#!/bin/sh\nid\nuname -a\nhostname\n' > served.sh
"$PY" -m http.server 47180 --bind 127.0.0.1 >/dev/null 2>&1 &
server=$!
sleep 1
"$PY" -c "import urllib.request; urllib.request.urlretrieve('http://127.0.0.1:47180/served.sh', '/tmp/payload.sh')"
chmod +x /tmp/payload.sh
/tmp/payload.sh > /dev/null
mv /tmp/payload.sh /tmp/.hidden-payload.sh
rm /tmp/.hidden-payload.sh
"$PY" -c "
import socket, struct
q = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0) + b''.join(bytes([len(p)]) + p.encode() for p in 'updates.example.com'.split('.')) + b'\x00' + struct.pack('>HH', 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(q, ('127.0.0.1', 53)); s.close()"
kill $server
cd /
rm -rf "$work"
