"""Opens N idle TCP connections to 127.0.0.1:PORT, prints 'open', holds them until stdin closes."""
import socket
import sys

count, port = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    held.append(s)
print("open", flush=True)
sys.stdin.read()
for s in held:
    s.close()
