"""Ports for the servers the suite starts on loopback."""

import socket


def free_port(ports: range) -> int:
    """The first port in `ports` nothing listens on."""
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {ports.start}-{ports.stop - 1}.")
