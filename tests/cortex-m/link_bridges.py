"""What stands at the other end of the superloop firmware's UARTs in the
test (QEMU connects each -serial to one of these on loopback):

- DnsBridge: DNS messages framed with a 2-octet length (RFC 1035 §4.2.2)
  from the device, each sent as a UDP datagram to one DNS server; only that
  server's datagrams go back, framed the same way. Every question is logged.
- DialBridge: a modem-like link: the device writes "CONNECT a.b.c.d PORT\\r\\n";
  the bridge connects to that address (the device's port mapped to the test
  server's), answers "CONNECTED\\r\\n" or "FAILED\\r\\n", then relays bytes both ways.

Both serve one connection, in a thread, and stop with the test."""
import select
import socket
import struct
import threading


def question_name(message):
    """The question's name in a DNS message (no pointers in a question)."""
    labels, at = [], 12
    while at < len(message) and message[at]:
        labels.append(message[at + 1: at + 1 + message[at]].decode("ascii", "replace"))
        at += 1 + message[at]
    return ".".join(labels)


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        piece = conn.recv(n - len(data))
        if not piece:
            raise EOFError
        data += piece
    return data


class Bridge:
    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.listener.settimeout(120)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            try:
                self.serve(conn)
            except (EOFError, OSError):
                pass

    def close(self):
        self.listener.close()


class DnsBridge(Bridge):
    def __init__(self, server_port):
        self.server = ("127.0.0.1", server_port)
        self.questions = []
        super().__init__()

    def serve(self, conn):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.settimeout(3)
        with udp:
            while True:
                query = read_exactly(conn, struct.unpack(">H", read_exactly(conn, 2))[0])
                self.questions.append(question_name(query))
                udp.sendto(query, self.server)
                try:
                    while True:
                        reply, source = udp.recvfrom(65535)
                        if source == self.server:
                            break
                except socket.timeout:
                    continue  # no answer: the device's resolver times out and asks again
                conn.sendall(struct.pack(">H", len(reply)) + reply)


class DialBridge(Bridge):
    def __init__(self, port_map):
        self.port_map = port_map  # the device's port -> the loopback server's
        self.dialled = []
        super().__init__()

    def serve(self, conn):
        line = b""
        while not line.endswith(b"\n"):
            line += read_exactly(conn, 1)
        self.dialled.append(line.decode("ascii", "replace").strip())
        words = line.split()
        try:
            if len(words) != 3 or words[0] != b"CONNECT":
                raise OSError("not a CONNECT line")
            peer = socket.create_connection((words[1].decode(), self.port_map[int(words[2])]), timeout=10)
        except (OSError, KeyError, ValueError):
            conn.sendall(b"FAILED\r\n")
            return
        conn.sendall(b"CONNECTED\r\n")
        with peer:
            ends = {conn: peer, peer: conn}
            while True:
                ready, _, _ = select.select(list(ends), [], [], 60)
                if not ready:
                    return
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    ends[s].sendall(data)
